import { describe, expect, it } from "vitest";
import { printProgram } from "../plugin/index.ts";
import { ROOT, compileFiles } from "./compile-support.ts";

const names = (files: Record<string, string>) => compileFiles(files).workflows.map((w) => [w.name, w.params]);

describe("discovery of workflows", () => {
  it("names class workflows after the class or the decorator's string, function workflows after the string, function or const", () => {
    const src = `import { action, workflow, Workflow } from "cairnjs";
@workflow export class Plain extends Workflow { async run(a: string, b = 2) { return a; } }
export @workflow("custom-name") class Named extends Workflow { async run() { return 1; } }
export const byFunction = workflow(async function ownName(x: number) { return x; });
export const byString = workflow("explicit", async (x: number) => x);
export const byConst = workflow(async (input: unknown) => { return input; });
`;
    expect(names({ "main.ts": src })).toEqual([
      ["Plain", ["a", "b"]],
      ["custom-name", []],
      ["ownName", ["x"]],
      ["explicit", ["x"]],
      ["byConst", ["input"]],
    ]);
  });

  it("follows aliased and namespace imports of the cairn primitives", () => {
    const src = `import * as cairn from "cairnjs";
import { action as act, workflow as wf, runAction as run } from "cairnjs";
export const greet = act(async function greet(n: string): Promise<string> { return n; });
export const viaNs = cairn.action("ns-action", async (n: string): Promise<string> => n);
@cairn.workflow export class Ns extends cairn.Workflow {
  async run(n: string) { return await this.runAction(viaNs(n), { retry: new cairn.RetryPolicy({ attempts: 1 }) }); }
}
export const aliased = wf(async function aliased(n: string) { return await run(greet(n), { timeout: "1s" }); });
`;
    const result = compileFiles({ "main.ts": src });
    expect(result.diagnostics).toEqual([]);
    expect(result.workflows.map((w) => [w.name, w.actions])).toEqual([["Ns", ["ns-action"]], ["aliased", ["greet"]]]);
    expect(printProgram(result.workflows[0])).toContain(`call c1 ns-action[n] options {"retry": RetryPolicy({"attempts": 1})}`);
  });

  it("applies a parameter's default value when the input leaves it undefined", () => {
    const src = `import { workflow } from "cairnjs";\nexport const w = workflow(async function w(a: number, b = a + 1) { return b; });\n`;
    expect(printProgram(compileFiles({ "main.ts": src }).workflows[0])).toBe(
      ["b0:", "  branch (b === undefined) ? b1 : b2", "b1:", "  b = (a + 1)", "  jump b2", "b2:", "  return b"].join("\n"),
    );
  });

  it("resolves actions, error classes, enums and constants across relative imports and re-exports", () => {
    const files = {
      "lib/actions.ts": `import { action } from "cairnjs";
export const fetchUser = action(async function fetchUser(id: string): Promise<string> { return id; });
const hidden = action("send-mail", async (to: string): Promise<void> => {});
export { hidden as sendMail };
export class LibError extends Error {}
export enum Tier { Free, Pro = 5, Team }
export const GREETING = \`hi\`;
export const NEG = -2;`,
      "lib/index.ts": `export * from "./actions.ts";\nexport { fetchUser as getUser } from "./actions";\nexport * as ns from "./actions";`,
      "main.ts": `import { workflow } from "cairnjs";
import { getUser, sendMail, LibError, Tier, GREETING, ns } from "./lib/index";
import * as direct from "./lib/actions.js";
class Local extends LibError {}
const enum Mode { A = "a", B = "b" }
export const w = workflow(async function w(id: string) {
  try {
    const u = await getUser(id);
    await sendMail(u);
    const v = await direct.fetchUser(id);
    return [u, v, GREETING, ns.NEG, Mode.B, Tier.Team, Tier.Free];
  } catch (e) {
    if (e instanceof Local || e instanceof ns.LibError) return null;
    throw e;
  }
});`,
    };
    const result = compileFiles(files);
    expect(result.diagnostics).toEqual([]);
    const [artifact] = result.workflows;
    expect(artifact.actions).toEqual(["fetchUser", "send-mail"]);
    expect(artifact.errors).toEqual(["LibError", "Local"]);
    expect(result.actions).toEqual([
      { name: "fetchUser", file: `${ROOT}/lib/actions.ts`, exportName: "fetchUser" },
      { name: "send-mail", file: `${ROOT}/lib/actions.ts`, exportName: "sendMail" },
    ]);
    expect(printProgram(artifact)).toContain(`return [u, v, "hi", -2, "b", 6, 0]`);
  });

  it("reports an anonymous action where it is defined (CAIRN112) and a Promise<void> result used (CAIRN111)", () => {
    const src = `import { action, workflow } from "cairnjs";
export const anon = action(async (x: string) => x);
export const quiet = action(async function quiet(): Promise<void> {});
export const w = workflow(async function w() {
  await quiet();
  return await quiet();
});
`;
    expect(compileFiles({ "main.ts": src }).diagnostics.map((d) => `${d.line}:${d.column} ${d.code}`)).toEqual(["2:21 CAIRN112", "6:10 CAIRN111"]);
  });
});
