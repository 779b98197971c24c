import { IR_VERSION } from "./vocabulary.ts";
import type { Artifact, Json } from "./types.ts";
import type { ScheduleSpec } from "./schedule-spec.ts";

/**
 * The index of a directory of artifacts (`manifest.json`), as written by
 * `cairn build` and by the bundler plugins and read by `loadArtifactDir`. It lives
 * next to the IR because the compiler side writes it and the runtime side reads it.
 */
export interface ManifestEntry {
  name: string;
  /** `sha256:<hex>`, as in the artifact. */
  hash: string;
  /** Artifact file name, relative to the manifest's directory. */
  file: string;
  /** Defining file, relative to its project root. */
  source: string;
  params: string[];
  /** The actions the workflow calls: what a worker must provide. */
  actions: string[];
}

/**
 * A schedule declared with `export const <name> = schedule(spec, workflow, options)`,
 * every option filled in with its default: what a worker serving `workflow` registers.
 */
export interface ScheduleEntry {
  /** The export name: unique in a build. */
  name: string;
  /** The workflow's name (not its export name). */
  workflow: string;
  /** As written: a 5-field cron expression or `{ every: duration }`. */
  spec: ScheduleSpec;
  timezone: string;
  /** Every instance's input (its parameters, by name). */
  input: Record<string, Json>;
  catchUp: "latest" | "all" | "none";
  overlap: "skip" | "allow";
  /** Defining file, relative to its project root. */
  source: string;
}

export interface Manifest {
  irVersion: typeof IR_VERSION;
  workflows: ManifestEntry[];
  /** Absent when the build declares none, so manifests without schedules read as before. */
  schedules?: ScheduleEntry[];
}

export const MANIFEST_FILE = "manifest.json";

/**
 * `<Name>.<first 12 hex of the hash>.json`. The hash in the name lets several
 * versions of a workflow sit side by side in one directory, which running
 * instances of an older version need. Characters unsafe in file names (an
 * explicit workflow name may contain any) become `_`.
 */
export function artifactFileName(artifact: Pick<Artifact, "name" | "hash">): string {
  const hex = artifact.hash.slice("sha256:".length, "sha256:".length + 12);
  return `${artifact.name.replace(/[^A-Za-z0-9._-]/g, "_")}.${hex}.json`;
}

/** What the manifest says about one artifact. */
export function manifestEntry(artifact: Artifact): ManifestEntry {
  return {
    name: artifact.name,
    hash: artifact.hash,
    file: artifactFileName(artifact),
    source: artifact.source,
    params: [...artifact.params],
    actions: [...artifact.actions],
  };
}

/** Deterministic: sorted by name, no timestamps, no absolute paths. */
export function createManifest(artifacts: readonly Artifact[], schedules: readonly ScheduleEntry[] = []): Manifest {
  return manifestOf(artifacts.map(manifestEntry), schedules);
}

/** createManifest from the entries (a bundler keeps those, not whole artifacts, for modules it did not recompile). */
export function manifestOf(entries: readonly ManifestEntry[], schedules: readonly ScheduleEntry[] = []): Manifest {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  const workflows = [...entries].sort(byName);
  return schedules.length === 0 ? { irVersion: IR_VERSION, workflows } : { irVersion: IR_VERSION, workflows, schedules: [...schedules].sort(byName) };
}

export function serializeManifest(manifest: Manifest): string {
  return JSON.stringify(manifest, null, 2) + "\n";
}
