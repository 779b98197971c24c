import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import {
  IR_VERSION, MANIFEST_FILE, artifactFileName, validateArtifact, type Artifact, type Manifest, type ManifestEntry,
} from "../../ir-schema/index.ts";
import { schedulesProblem } from "./schedule-entries.ts";

export interface ArtifactDir {
  dir: string;
  manifest: Manifest;
  /** In manifest order; each validated (schema, structure, hash) and matching its manifest entry. */
  workflows: Artifact[];
}

export interface ArtifactProblem {
  /** File name inside the directory (`manifest.json`, `Name.<hash12>.json`). */
  file: string;
  problem: string;
}

/** Everything wrong with an artifact directory, one line per file and problem. */
export class ArtifactDirError extends Error {
  override name = "ArtifactDirError";
  constructor(readonly dir: string, readonly problems: readonly ArtifactProblem[]) {
    super(`invalid artifact directory ${dir}:\n${problems.map((p) => `  ${p.file}: ${p.problem}`).join("\n")}`);
  }
}

/**
 * Loads prebuilt IR for a deployment: `manifest.json` and every artifact it lists,
 * as `cairn build` and the bundler plugins write them. Nothing is trusted: each
 * artifact is validated and hashed, and must be exactly what the manifest says
 * (name, hash, file name, params, actions). A stale, malformed or tampered
 * directory is rejected as a whole, with every problem named.
 */
export async function loadArtifactDir(dir: string): Promise<ArtifactDir> {
  const problems: ArtifactProblem[] = [];
  const fail = (file: string, problem: string): never => {
    throw new ArtifactDirError(dir, [...problems, { file, problem }]);
  };

  const text = await readText(join(dir, MANIFEST_FILE));
  if (text === null) {
    fail(MANIFEST_FILE, "missing: build the directory with `cairn build --out <dir>` or a cairn bundler plugin");
  }
  const manifest = parseManifest(text!, fail);
  const workflows: Artifact[] = [];
  const seen = new Set<string>();
  for (const entry of manifest.workflows) {
    if (seen.has(entry.name)) problems.push({ file: MANIFEST_FILE, problem: `workflow "${entry.name}" is listed twice` });
    seen.add(entry.name);
    const artifact = await loadEntry(dir, entry, (problem) => problems.push({ file: entry.file, problem }));
    if (artifact) workflows.push(artifact);
  }
  if (problems.length > 0) throw new ArtifactDirError(dir, problems);
  return { dir, manifest, workflows };
}

function parseManifest(text: string, fail: (file: string, problem: string) => never): Manifest {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    return fail(MANIFEST_FILE, `not valid JSON (${(error as Error).message})`);
  }
  const m = json as Partial<Manifest> | null;
  if (typeof m !== "object" || m === null || Array.isArray(m)) return fail(MANIFEST_FILE, "expected an object { irVersion, workflows }");
  if (m.irVersion !== IR_VERSION) {
    return fail(MANIFEST_FILE, `built for IR version ${JSON.stringify(m.irVersion)}, this runtime reads version ${IR_VERSION}: rebuild it`);
  }
  if (!Array.isArray(m.workflows)) return fail(MANIFEST_FILE, "`workflows` must be an array");
  m.workflows.forEach((e, i) => {
    const problem = entryProblem(e);
    if (problem) fail(MANIFEST_FILE, `workflows[${i}]: ${problem}`);
  });
  const schedules = schedulesProblem(m.schedules);
  if (schedules) fail(MANIFEST_FILE, schedules);
  return m as Manifest;
}

function entryProblem(e: unknown): string | null {
  if (typeof e !== "object" || e === null) return "expected an object";
  const entry = e as Record<string, unknown>;
  for (const key of ["name", "hash", "file", "source"]) {
    if (typeof entry[key] !== "string") return `\`${key}\` must be a string`;
  }
  for (const key of ["params", "actions"]) {
    const v = entry[key];
    if (!Array.isArray(v) || !v.every((x) => typeof x === "string")) return `\`${key}\` must be an array of strings`;
  }
  const file = entry.file as string;
  // Only plain file names: a manifest must not make the loader read outside its directory.
  if (basename(file) !== file || file === "." || file === ".." || file.includes("\\")) {
    return `\`file\` must be a file name inside the directory, got ${JSON.stringify(file)}`;
  }
  return null;
}

async function loadEntry(dir: string, entry: ManifestEntry, report: (problem: string) => void): Promise<Artifact | null> {
  const text = await readText(join(dir, entry.file));
  if (text === null) {
    report(`listed in ${MANIFEST_FILE} for workflow "${entry.name}" but missing`);
    return null;
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    report(`not valid JSON (${(error as Error).message})`);
    return null;
  }
  const version = (json as { irVersion?: unknown } | null)?.irVersion;
  if (version !== IR_VERSION) {
    report(`built for IR version ${JSON.stringify(version)}, this runtime reads version ${IR_VERSION}: rebuild it`);
    return null;
  }
  const result = validateArtifact(json);
  if (!result.ok) {
    const tampered = result.errors.some((e) => e.path === "/hash");
    const details = result.errors.map((e) => `${e.path || "/"}: ${e.message}`).join("; ");
    report(tampered ? `content does not match its hash (modified after it was built): ${details}` : `invalid artifact: ${details}`);
    return null;
  }
  const artifact = result.artifact;
  if (artifact.name !== entry.name || artifact.hash !== entry.hash) {
    report(
      `${MANIFEST_FILE} lists workflow "${entry.name}" ${entry.hash}, but the file holds "${artifact.name}" ${artifact.hash} ` +
        "(stale manifest or replaced file): rebuild the directory",
    );
    return null;
  }
  if (entry.file !== artifactFileName(artifact)) {
    report(`file name does not match its content: expected ${artifactFileName(artifact)}`);
    return null;
  }
  if (!sameStrings(entry.params, artifact.params) || !sameStrings(entry.actions, artifact.actions)) {
    report(`${MANIFEST_FILE} entry's params/actions differ from the artifact's (stale manifest): rebuild the directory`);
    return null;
  }
  return artifact;
}

function sameStrings(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

async function readText(file: string): Promise<string | null> {
  try {
    return await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
}
