/**
 * The accepted-fixture corpus as data: one folder per case under fixtures/accept/,
 * each with input.ts, cases.json and (once snapshotted) ir.json. The fixture test,
 * the fidelity test and the durable-runtime tests all read the same table through
 * this module, so a case added once is checked everywhere.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { canonicalJson, type Artifact } from "../../ir-schema/index.ts";

/**
 * An artifact indented, for the IR snapshots (`ir.json`) people review; the files
 * builds write are one line (serializeArtifact). Parsing canonical JSON keeps its
 * key order.
 */
export function prettyArtifact(artifact: Artifact): string {
  return JSON.stringify(JSON.parse(canonicalJson(artifact)), null, 2) + "\n";
}

export const REPO_ROOT = resolve(fileURLToPath(new URL("../..", import.meta.url)));
export const ACCEPT_DIR = join(REPO_ROOT, "fixtures", "accept");

export interface ExpectedError {
  name: string;
  message: string;
}

export interface FixtureCase {
  name: string;
  /** Workflow inputs keyed by parameter name. */
  input: Record<string, unknown>;
  /** Exactly one of `result` / `error` is present. */
  result?: unknown;
  error?: ExpectedError;
  /**
   * The case's meaning depends on the runner (e.g. a per-call timeout, which plain
   * JavaScript does not enforce), so it is checked against runtimes only, never
   * against the plain-JS run.
   */
  runtimeOnly?: boolean;
  /** Which workflow of the file the case runs, when the file defines several (a parent and its children). */
  workflow?: string;
  /**
   * Messages sent to the instance as it starts, in order (each kept until received).
   * Plain JavaScript cannot receive, so such a case is checked against runtimes only.
   */
  messages?: Array<{ topic: string; message: unknown }>;
}

export interface Fixture {
  /** Folder name, e.g. "sequential-chain". */
  name: string;
  dir: string;
  /** Absolute path of input.ts. */
  inputFile: string;
  /** Absolute path of the IR snapshot (may not exist yet). */
  irFile: string;
  cases: FixtureCase[];
}

/** Every fixture folder, sorted by name; throws on a malformed case table. */
export function loadFixtures(dir: string = ACCEPT_DIR): Fixture[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const fixtureDir = join(dir, name);
      const inputFile = join(fixtureDir, "input.ts");
      if (!existsSync(inputFile)) throw new Error(`fixture ${name}: missing input.ts`);
      return {
        name,
        dir: fixtureDir,
        inputFile,
        irFile: join(fixtureDir, "ir.json"),
        cases: loadCases(join(fixtureDir, "cases.json")),
      };
    });
}

/** Reads and checks one cases.json, so a typo fails loudly instead of testing nothing. */
export function loadCases(file: string): FixtureCase[] {
  const raw: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (!Array.isArray(raw) || raw.length === 0) throw new Error(`${file}: expected a non-empty array of cases`);
  const names = new Set<string>();
  return raw.map((c: unknown, i) => {
    const where = `${file}[${i}]`;
    if (typeof c !== "object" || c === null || Array.isArray(c)) throw new Error(`${where}: expected an object`);
    const o = c as Record<string, unknown>;
    const allowed = new Set(["name", "input", "result", "error", "runtimeOnly", "workflow", "messages"]);
    const unknown = Object.keys(o).filter((k) => !allowed.has(k));
    if (unknown.length) throw new Error(`${where}: unknown keys ${unknown.join(", ")}`);
    if (typeof o.name !== "string" || !o.name) throw new Error(`${where}: missing name`);
    if (names.has(o.name)) throw new Error(`${where}: duplicate case name ${o.name}`);
    names.add(o.name);
    if (typeof o.input !== "object" || o.input === null || Array.isArray(o.input)) {
      throw new Error(`${where}: input must be an object keyed by parameter name`);
    }
    if (("result" in o) === ("error" in o)) throw new Error(`${where}: exactly one of result / error`);
    if ("error" in o && !isExpectedError(o.error)) throw new Error(`${where}: error must be { name, message }`);
    if ("runtimeOnly" in o && o.runtimeOnly !== true) throw new Error(`${where}: runtimeOnly must be true when present`);
    if ("workflow" in o && typeof o.workflow !== "string") throw new Error(`${where}: workflow must be a workflow name`);
    if ("messages" in o && !(Array.isArray(o.messages) && o.messages.every((m) => typeof m?.topic === "string" && "message" in m))) {
      throw new Error(`${where}: messages must be [{ topic, message }, ...]`);
    }
    return o as unknown as FixtureCase;
  });
}

function isExpectedError(value: unknown): value is ExpectedError {
  if (typeof value !== "object" || value === null) return false;
  const e = value as Record<string, unknown>;
  return typeof e.name === "string" && typeof e.message === "string" && Object.keys(e).length === 2;
}

/** What running a workflow came to, in a form two runners can be compared on. */
export type Outcome = { result: unknown } | { error: ExpectedError };

export function expectedOutcome(c: FixtureCase): Outcome {
  return c.error ? { error: c.error } : { result: c.result };
}

/** Awaits a run and captures its value or its error's name and message. */
export async function settle(run: () => Promise<unknown>): Promise<Outcome> {
  try {
    return { result: await run() };
  } catch (err) {
    const e = err as { name?: unknown; message?: unknown };
    return { error: { name: String(e?.name), message: String(e?.message) } };
  }
}

/**
 * The outcome as pretty, key-sorted JSON: values compare as JSON would carry them
 * (NaN -> null, undefined members dropped), and a failing comparison shows a
 * line-by-line diff. Objects are rebuilt without a prototype so that an own
 * `__proto__` key survives as data instead of being swallowed by the setter.
 */
export function canonicalOutcome(outcome: Outcome): string {
  if ("error" in outcome) return JSON.stringify({ error: outcome.error }, null, 2);
  const json = JSON.stringify(outcome.result);
  const normalized: unknown = json === undefined ? "<undefined>" : sortKeys(JSON.parse(json));
  return JSON.stringify({ result: normalized }, null, 2);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== "object") return value;
  const out: Record<string, unknown> = Object.create(null);
  for (const key of Object.keys(value).sort()) out[key] = sortKeys((value as Record<string, unknown>)[key]);
  return out;
}
