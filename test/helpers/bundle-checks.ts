/**
 * What every bundler test checks about a built fixture project: the artifacts and
 * manifest it wrote (byte-identical to the CLI's), that no workflow body reached
 * the bundle, that source maps point into the original files, and that the
 * bundle's own handles and actions run the workflows, in memory and durably.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { expect } from "vitest";
import { compile, nodeResolver } from "../../plugin/index.ts";
import { artifactFileName, createManifest, serializeArtifact, serializeManifest, type Artifact } from "../../ir-schema/index.ts";
import { isCompiledWorkflow, loadArtifactDir, runLocal, virtualClock } from "../../runtime/index.ts";
import type { DurableEnv } from "./durable.ts";
import { BODY_SNIPPETS, GOOD_FILES, positionOf, type TempProject } from "./bundler-project.ts";

export type Bundle = Record<string, unknown>;

export async function importBundle(file: string): Promise<Bundle> {
  return (await import(pathToFileURL(file).href)) as Bundle;
}

/** What `cairn build` makes of the project's sources. */
export function cliArtifacts(project: TempProject): Artifact[] {
  const resolver = nodeResolver(project.dir);
  return Object.keys(GOOD_FILES).flatMap((rel) => {
    const result = compile(readFileSync(project.path(rel), "utf8"), project.path(rel), resolver);
    expect(result.diagnostics).toEqual([]);
    return result.workflows;
  });
}

/** The artifact directory holds exactly the CLI's bytes, and loads. */
export async function expectArtifacts(dir: string, project: TempProject): Promise<Artifact[]> {
  const expected = cliArtifacts(project);
  expect(expected.map((a) => a.name).sort()).toEqual(["Digest", "onboarding"]);
  expect(readFileSync(join(dir, "manifest.json"), "utf8")).toBe(serializeManifest(createManifest(expected)));
  for (const a of expected) expect(readFileSync(join(dir, artifactFileName(a)), "utf8")).toBe(serializeArtifact(a));
  const loaded = await loadArtifactDir(dir);
  expect(loaded.workflows.map((w) => w.hash).sort()).toEqual(expected.map((a) => a.hash).sort());
  return expected;
}

/** The bundle exports handles (carrying the CLI's hashes) and keeps actions' registered names. */
export function expectHandles(bundle: Bundle, expected: readonly Artifact[]): void {
  for (const name of ["onboarding", "Digest"]) {
    const handle = bundle[name];
    expect(isCompiledWorkflow(handle)).toBe(true);
    const h = handle as { name: string; hash: string; artifact: Artifact };
    expect(Object.isFrozen(h)).toBe(true);
    expect(h.name).toBe(name);
    expect(h.hash).toBe(expected.find((a) => a.name === name)!.hash);
    expect(h.artifact.hash).toBe(h.hash);
  }
  const names = ["loadUser", "charge", "sendEmail"].map((k) => (bundle[k] as { actionName: string }).actionName);
  expect(names).toEqual(["loadUser", "charge", "send-email"]);
}

export function expectNoWorkflowBodies(bundleText: string): void {
  for (const snippet of BODY_SNIPPETS) {
    expect(GOOD_FILES["src/workflows.ts"]).toContain(snippet);
    expect(bundleText).not.toContain(snippet);
  }
}

/**
 * Positions in the bundle map back to the original sources: a token right after
 * an injected action name, and a line after the replaced workflow definitions.
 */
export function expectSourceMap(bundleText: string, mapText: string, needles: { bundle: string; file: string; original: string }[]): void {
  const map = new TraceMap(mapText);
  for (const n of needles) {
    const gen = positionOf(bundleText, n.bundle);
    const orig = originalPositionFor(map, gen);
    const want = positionOf(GOOD_FILES[n.file], n.original);
    expect({ source: orig.source?.replace(/^.*?(src\/)/, "$1"), line: orig.line, column: orig.column }).toEqual({ source: n.file, ...want });
  }
}

/** The needles for expectSourceMap on an unminified bundle. */
export const MAP_NEEDLES = [
  { bundle: "async function charge", file: "src/actions.ts", original: "async function charge" },
  { bundle: "`card of ${id} looks stolen`", file: "src/actions.ts", original: "`card of ${id} looks stolen`" },
  { bundle: '["onboarding", "Digest"]', file: "src/workflows.ts", original: '["onboarding", "Digest"]' },
];

export const CASES = [
  { workflow: "onboarding", input: { userId: "ada" }, result: { charged: true, receipt: "receipt-ada-pro" } },
  { workflow: "onboarding", input: { userId: "expired" }, result: { charged: false, receipt: null } },
  { workflow: "onboarding", input: { userId: "busy" }, result: { charged: false, receipt: "later" } },
  { workflow: "onboarding", input: { userId: "stolen" }, error: { name: "FraudSuspected", message: "card of stolen looks stolen" } },
  { workflow: "Digest", input: { userIds: ["a", "free-user", "b"] }, result: 2 },
] as const;

async function outcome(run: () => Promise<unknown>): Promise<unknown> {
  try {
    return { result: await run() };
  } catch (error) {
    const e = error as Error;
    return { error: { name: e.name, message: e.message } };
  }
}

const want = (c: (typeof CASES)[number]) => ("error" in c ? { error: c.error } : { result: c.result });

/** runLocal with the bundle's handles and the bundle's module namespace as actions. */
export async function expectRunsLocally(bundle: Bundle): Promise<void> {
  for (const c of CASES) {
    const got = await outcome(() => runLocal(bundle[c.workflow] as never, { ...c.input }, { actions: bundle, clock: virtualClock() }));
    expect(got).toEqual(want(c));
  }
}

/** A worker given the bundle's actions and handles; a client starting instances from the handles. */
export async function expectRunsDurably(env: DurableEnv, bundle: Bundle): Promise<void> {
  await env.startWorker({ actions: bundle, workflows: [bundle.onboarding as never, bundle.Digest as never] });
  try {
    const runs: Array<{ result(opts: { timeoutMs: number }): Promise<unknown> }> = [];
    for (const c of CASES) runs.push(await env.client.start(bundle[c.workflow] as never, { ...c.input }));
    for (const [i, c] of CASES.entries()) {
      expect(await outcome(() => runs[i].result({ timeoutMs: 20_000 }))).toEqual(want(c));
    }
  } finally {
    await env.stopWorkers();
  }
}
