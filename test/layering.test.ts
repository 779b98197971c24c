import { fileURLToPath } from "node:url";
import { expect, test } from "vitest";
import { importCycles, importEdges, repositoryFiles, topFolder, type ImportEdge } from "./helpers/import-graph.ts";

/**
 * The layering the package is built on: the compiler (plugin/) and the runtime
 * (runtime/) share only the IR (ir-schema/), which depends on neither, so a
 * bundler plugin never loads the runtime and a worker never loads the compiler.
 * Import cycles may stay inside one folder (a phase's mutually recursive parts);
 * one that crosses folders ties phases together that should change apart.
 */
const root = fileURLToPath(new URL("..", import.meta.url));
const files = repositoryFiles(root);
const edges = importEdges(root, files);

const show = (e: ImportEdge): string => `${e.from} -> ${e.to}${e.typeOnly ? " (type)" : ""}`;

/** Folders that must not import from one another, in the direction given. */
const forbidden: ReadonlyArray<{ from: string; to: readonly string[]; why: string }> = [
  { from: "runtime", to: ["plugin", "cli"], why: "a worker must run without the compiler" },
  { from: "plugin", to: ["runtime", "cli"], why: "a bundler plugin must not load the runtime" },
  { from: "ir-schema", to: ["plugin", "runtime", "cli", "index.ts"], why: "the IR is the contract both sides read" },
];

/**
 * What an import cycle may stay within: a folder below a top folder together with
 * its subfolders (plugin/lower, runtime/interpreter with its eval/). A file
 * directly in a top folder (plugin/types.ts, runtime/payload.ts) is the glue
 * between those folders and counts on its own.
 */
function unitOf(file: string): string {
  const parts = file.split("/");
  return parts.length <= 2 ? file : parts.slice(0, 2).join("/");
}

/** The cycles among units, each with the edges that close it, for the failure message. */
function crossFolderCycles(all: readonly ImportEdge[]): string[][] {
  const between = all.filter((e) => unitOf(e.from) !== unitOf(e.to));
  const units = between.map((e) => ({ from: unitOf(e.from), to: unitOf(e.to), typeOnly: e.typeOnly }));
  return importCycles(units).map((cycle) => [
    cycle.join(" <-> "),
    ...between.filter((e) => cycle.includes(unitOf(e.from)) && cycle.includes(unitOf(e.to))).map((e) => `  ${show(e)}`),
  ]);
}

test("the import graph is read from the repository (the checks below are not vacuous)", () => {
  expect(files.some((f) => f.startsWith("plugin/"))).toBe(true);
  expect(files.some((f) => f.startsWith("runtime/"))).toBe(true);
  expect(edges.length).toBeGreaterThan(500);
  expect(edges).toContainEqual({ from: "plugin/compile.ts", to: "plugin/lower/workflow.ts", typeOnly: false });
  expect(edges.some((e) => e.typeOnly)).toBe(true);
});

test("no import from runtime/ into plugin/ or back, and none from ir-schema/ into either", () => {
  const bad = edges.filter((e) => {
    const rule = forbidden.find((r) => r.from === topFolder(e.from));
    return rule !== undefined && (rule.to.includes(topFolder(e.to)) || rule.to.includes(e.to));
  });
  expect(bad.map((e) => `${show(e)}: ${forbidden.find((r) => r.from === topFolder(e.from))!.why}`)).toEqual([]);
});

test("no import cycle crosses folders (cycles inside one folder are allowed)", () => {
  expect(crossFolderCycles(edges)).toEqual([]);
});

/**
 * The compiler's phases, in the order a compile runs them: a phase may import an
 * earlier one, never a later one (lowering reads what the check phase found;
 * the check phase knows nothing of lowering).
 */
const phases = ["plugin/parse", "plugin/resolve", "plugin/analyze", "plugin/check", "plugin/lower"];

test("each compiler phase imports only the phases before it", () => {
  const bad = edges.filter((e) => {
    const from = phases.indexOf(unitOf(e.from));
    const to = phases.indexOf(unitOf(e.to));
    return from >= 0 && to > from;
  });
  expect(bad.map(show)).toEqual([]);
});

test("the cycle check tells a cycle between folders from recursion inside one", () => {
  const edge = (from: string, to: string, typeOnly = false): ImportEdge => ({ from, to, typeOnly });
  const inside = [edge("plugin/lower/a.ts", "plugin/lower/b.ts"), edge("plugin/lower/b.ts", "plugin/lower/a.ts")];
  const nested = [edge("runtime/x/a.ts", "runtime/x/eval/b.ts"), edge("runtime/x/eval/b.ts", "runtime/x/a.ts")];
  expect(crossFolderCycles([...inside, ...nested])).toEqual([]);
  // The shape this test was written against: two phases reaching into each other
  // through different files, with one edge type-only.
  const across = [
    edge("plugin/analyze/module-graph.ts", "plugin/resolve/module-cache.ts", true),
    edge("plugin/resolve/module-cache.ts", "plugin/analyze/module-summary.ts"),
  ];
  expect(crossFolderCycles(across)[0]?.[0]).toBe("plugin/analyze <-> plugin/resolve");
  const viaGlue = [edge("plugin/types.ts", "plugin/analyze/x.ts", true), edge("plugin/analyze/y.ts", "plugin/types.ts", true)];
  expect(crossFolderCycles(viaGlue)[0]?.[0]).toBe("plugin/analyze <-> plugin/types.ts");
});

/**
 * Inside the runtime: the interpreter is the pure core both runners share, so it
 * reads only the IR (ir-schema/, call options included), the payload rules every
 * value crossing the database follows (runtime/payload.ts) and its own files, never
 * the authoring API it implements, nor a runner.
 */
test("the interpreter imports only the IR, the payload rules and itself", () => {
  const allowed = (to: string) => unitOf(to) === "runtime/interpreter" || topFolder(to) === "ir-schema" || to === "runtime/payload.ts";
  const bad = edges.filter((e) => unitOf(e.from) === "runtime/interpreter" && !allowed(e.to));
  expect(bad.map(show)).toEqual([]);
});

/**
 * The two runners (runtime/local: in memory; runtime/durable: on Postgres) share
 * what runs an action (runtime/runner: the action registry, one attempt, clocks,
 * workflow log output) and never import each other: a worker carries no local
 * runner, and the local runner no database code.
 */
test("the local and durable runners do not import each other", () => {
  const runners = ["runtime/local", "runtime/durable"];
  const bad = edges.filter((e) => runners.includes(unitOf(e.from)) && runners.includes(unitOf(e.to)) && unitOf(e.from) !== unitOf(e.to));
  expect(bad.map(show)).toEqual([]);
});
