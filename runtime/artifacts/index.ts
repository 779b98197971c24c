export { loadArtifactDir, ArtifactDirError, type ArtifactDir, type ArtifactProblem } from "./load-artifact-dir.ts";
