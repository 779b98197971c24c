import { afterAll, describe, expect, it } from "vitest";
import { cairn, tempProject } from "./cli-harness.ts";

const GOOD = `import { action, workflow } from "cairnjs";

export const add = action(async function add(a: number, b: number): Promise<number> {
  return a + b;
});

export const total = workflow(async function total(xs: number[]) {
  let sum = 0;
  for (const x of xs) sum = await add(sum, x);
  return sum;
});
`;

// Two rule violations and one fine line: both errors must be reported, in order.
const BAD = `import { action, workflow } from "cairnjs";

export const f = action(async function f(): Promise<number> {
  return 1;
});

export const bad = workflow(async function bad() {
  const t = Date.now();
  const r = Math.random();
  return t + r + (await f());
});
`;

const BAD_DIAGNOSTICS = `src/bad.ts:8:13: error CAIRN100: \`Date.now()\` is nondeterministic and cannot run in a workflow body
  hint: move it into an action and await the action, so its result is recorded and replayed
> 8 |   const t = Date.now();
    |             ^^^^^^^^^^

src/bad.ts:9:13: error CAIRN100: \`Math.random()\` is nondeterministic and cannot run in a workflow body
  hint: move it into an action and await the action, so its result is recorded and replayed
> 9 |   const r = Math.random();
    |             ^^^^^^^^^^^^^

`;

describe.concurrent("cairn check", () => {
  const outside = tempProject("outside", {
    "src/good.ts": GOOD,
    "src/bad.ts": BAD,
    // Directory walks skip dependencies, build output, cairn's own folder and dot dirs...
    "node_modules/dep/bad.ts": BAD,
    "dist/bad.ts": BAD,
    ".cairn/bad.ts": BAD,
    ".hidden/bad.ts": BAD,
    // ...and test files, which are no part of what a walk builds, checks or serves...
    "src/bad.test.ts": BAD,
    "src/bad.spec.ts": BAD,
    "src/__tests__/bad.ts": BAD,
    // ...and files that cannot define a workflow, even broken ones.
    "src/util.ts": "export const broken = (;\n",
    "src/types.d.ts": "export declare const x: number;\n",
  });
  const inside = tempProject("inside", { "wf.ts": GOOD });
  // A module of actions only (no workflow): the bundlers compile it, so a walk must too.
  const actionsOnly = tempProject("outside", {
    "src/acts.ts": `import { action } from "cairnjs";\n\nexport const double = action(async (n: number) => n * 2);\n`,
    "src/plain.ts": "export const broken = (;\n",
  });
  afterAll(() => {
    outside.cleanup();
    inside.cleanup();
    actionsOnly.cleanup();
  });

  it("exits 0 on a clean file outside the repository that imports from cairn", async () => {
    const r = await cairn(["check", "src/good.ts"], outside.dir);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "cairn check: 1 file compiled, 1 workflow, 0 errors, 0 warnings\n" });
  });

  it("exits 0 on a clean file inside the repository", async () => {
    const r = await cairn(["check", "wf.ts"], inside.dir);
    expect(r).toEqual({ code: 0, stdout: "", stderr: "cairn check: 1 file compiled, 1 workflow, 0 errors, 0 warnings\n" });
  });

  it("reports every error of a rejected file with code, position, hint and code frame; exits 2", async () => {
    const r = await cairn(["check", "src/bad.ts"], outside.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      // The workflow is counted although it has errors: it was found, and its errors are why it did not compile.
      stderr: BAD_DIAGNOSTICS + "cairn check: 1 file compiled, 1 workflow, 2 errors, 0 warnings\n",
    });
  });

  it("prints paths relative to the working directory", async () => {
    const r = await cairn(["check", "bad.ts"], `${outside.dir}/src`);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(
      "bad.ts:8:13: error CAIRN100: `Date.now()` is nondeterministic and cannot run in a workflow body",
    );
  });

  it("walks directories recursively, skipping node_modules, dist, .cairn, dot dirs and test files", async () => {
    const r = await cairn(["check", "."], outside.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: BAD_DIAGNOSTICS + "cairn check: 2 files compiled, 2 workflows, 2 errors, 0 warnings\n",
    });
  });

  it("a directory walk compiles modules of actions only too, and reports their errors", async () => {
    expect(await cairn(["check", "."], actionsOnly.dir)).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        "src/acts.ts:3:23: error CAIRN112: action without a name (no name given, or an empty one, and an anonymous function)",
        '  hint: name it: `action(async function myAction(...) {...})` or `action("my-action", async (...) => {...})`',
        "> 3 | export const double = action(async (n: number) => n * 2);",
        "    |                       ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
        "",
        "cairn check: 1 file compiled, 0 workflows, 1 error, 0 warnings\n",
      ].join("\n"),
    });
  });

  it("compiles a test file named explicitly", async () => {
    const r = await cairn(["check", "src/bad.test.ts"], outside.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: BAD_DIAGNOSTICS.replaceAll("src/bad.ts", "src/bad.test.ts") + "cairn check: 1 file compiled, 1 workflow, 2 errors, 0 warnings\n",
    });
  });

  it("compiles a file named explicitly even when it defines no workflow", async () => {
    const r = await cairn(["check", "src/util.ts"], outside.dir);
    expect(r).toEqual({
      code: 2,
      stdout: "",
      stderr: [
        "src/util.ts:1:24: error CAIRN001: Unexpected token",
        "  hint: fix the syntax error; the file is not compiled until it parses",
        "> 1 | export const broken = (;",
        "    |                        ^",
        "",
        "cairn check: 1 file compiled, 0 workflows, 1 error, 0 warnings\n",
      ].join("\n"),
    });
  });
});
