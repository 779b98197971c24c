import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { MANIFEST_FILE, manifestOf, serializeManifest } from "../../ir-schema/manifest.ts";
import type { BuiltWorkflow } from "./built-workflow.ts";
import type { ScheduleEntry } from "../../ir-schema/index.ts";
import { buildConflicts, type BuildModule } from "../build-conflicts.ts";
import { readText } from "../resolve/file-probes.ts";
import type { Diagnostic } from "../diagnostics/diagnostic.ts";

/** Sub-directory of the bundler's output directory that artifacts go to by default. */
export const ARTIFACT_SUBDIR = "cairn";

export interface ArtifactFile {
  /** Relative to the artifact directory. */
  fileName: string;
  source: string;
}

/**
 * The files a build writes: one per workflow and `manifest.json`, the same bytes
 * `cairn build` writes for the same workflows. Errors instead of files when the
 * build's modules clash (buildConflicts: two workflows, or two different actions,
 * of one name), paths relative to `cwd`.
 */
export function artifactFiles(
  build: { workflows: readonly BuiltWorkflow[]; schedules?: readonly ScheduleEntry[]; modules: readonly BuildModule[] },
  cwd: string,
): { files: ArtifactFile[]; errors: Diagnostic[] } {
  const { workflows } = build;
  const errors = buildConflicts(build.modules, cwd);
  if (errors.length > 0) return { files: [], errors };
  const files = workflows.map((w) => ({ fileName: w.fileName, source: w.text }));
  files.push({ fileName: MANIFEST_FILE, source: serializeManifest(manifestOf(workflows.map((w) => w.manifest), build.schedules)) });
  return { files, errors };
}

/**
 * Artifacts of earlier builds stay: instances of older workflow versions may still
 * need them. A file that already holds exactly these bytes (the usual case on a
 * rebuild: artifact names carry the hash) is left alone, since reading and
 * comparing costs about half of rewriting it.
 */
export function writeArtifactFiles(dir: string, files: readonly ArtifactFile[]): void {
  mkdirSync(dir, { recursive: true });
  for (const f of files) {
    const path = join(dir, f.fileName);
    if (readText(path) !== f.source) writeFileSync(path, f.source);
  }
}
