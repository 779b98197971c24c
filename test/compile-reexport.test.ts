/**
 * cairn's primitives re-exported by a module of the project (`export { action,
 * workflow } from "cairnjs"` in lib.ts, `export * from "cairnjs"`): actions declared
 * through them are actions, with their names, `void` results, name checks and the
 * transform's name pins, as when imported from "cairnjs" directly.
 */
import { posix } from "node:path";
import { describe, expect, it } from "vitest";
import { createModuleCache, moduleLayout } from "../plugin/index.ts";
import { ROOT, compileFiles, memoryResolver } from "./compile-support.ts";

const FACADES = {
  "lib.ts": `export { action, workflow, sleep } from "cairnjs";\n`,
  "star.ts": `export * from "cairnjs";\n`,
  "db.ts": `export function connect() { return {}; }\n`,
};

const MAIN = `import { action, workflow } from "./lib.ts";
import * as c from "./star.ts";
import { connect } from "./db.ts";
export const inc = action(async function inc(n: number): Promise<number> { return n + 1; });
export const note = c.action("note-it", async (s: string): Promise<void> => {});
const client = connect();
export const flow = workflow(async function flow(n: number) {
  await note("x");
  return await inc(n);
});
`;

describe("cairn's primitives re-exported by a project module", () => {
  it("declare actions the workflow calls, by their names", () => {
    const result = compileFiles({ ...FACADES, "main.ts": MAIN });
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => [w.name, w.actions])).toEqual([["flow", ["inc", "note-it"]]]);
    expect(result.actions).toEqual([
      { name: "inc", file: `${ROOT}/main.ts`, exportName: "inc" },
      { name: "note-it", file: `${ROOT}/main.ts`, exportName: "note" },
    ]);
    // What the module itself declares (and a worker given it serves): the same two, in source order.
    expect(result.declared).toEqual(result.actions);
  });

  it("keep the rules: a void result, an anonymous action, a call that is no action", () => {
    const main = MAIN.replace("await note(\"x\");", "const v = await note(\"x\");\n  client;")
      .replace("export const flow", "export const anon = action(async (n: number) => n);\nexport const flow");
    const result = compileFiles({ ...FACADES, "main.ts": main });
    expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["7:21 CAIRN112", "9:13 CAIRN111", "10:3 CAIRN109"]);
  });

  it("get their names pinned by the transform, as actions imported from cairn do", () => {
    const files = { ...FACADES, "main.ts": MAIN };
    const layout = moduleLayout(MAIN, posix.join(ROOT, "main.ts"), memoryResolver(files), { cache: createModuleCache() });
    expect(layout.actions).toEqual([{ name: "inc", insertAt: MAIN.indexOf("async function inc") }]);
  });
});
