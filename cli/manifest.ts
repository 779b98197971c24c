import type { Artifact } from "../ir-schema/index.ts";
import { IR_VERSION } from "../ir-schema/index.ts";
import { compareStrings } from "./source-files.ts";

export interface ManifestEntry {
  name: string;
  /** `sha256:<hex>`, as in the artifact. */
  hash: string;
  /** Artifact file name, relative to the manifest's directory. */
  file: string;
  /** Defining file, relative to its project root. */
  source: string;
  params: string[];
  actions: string[];
}

export interface Manifest {
  irVersion: typeof IR_VERSION;
  workflows: ManifestEntry[];
}

/**
 * `<Name>.<first 12 hex of the hash>.json`. The hash in the name lets several
 * versions of a workflow sit side by side in one output directory, which running
 * instances of an older version will need. Characters that are unsafe in file
 * names (an explicit workflow name may contain any) become `_`.
 */
export function artifactFileName(artifact: Artifact): string {
  const hex = artifact.hash.slice("sha256:".length, "sha256:".length + 12);
  return `${artifact.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${hex}.json`;
}

/** Deterministic: sorted by name, no timestamps, no absolute paths. */
export function createManifest(artifacts: readonly Artifact[]): Manifest {
  const workflows = artifacts
    .map((a) => ({
      name: a.name,
      hash: a.hash,
      file: artifactFileName(a),
      source: a.source,
      params: [...a.params],
      actions: [...a.actions],
    }))
    .sort((a, b) => compareStrings(a.name, b.name));
  return { irVersion: IR_VERSION, workflows };
}

export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
