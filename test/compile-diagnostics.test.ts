import { describe, expect, it } from "vitest";
import { Rules, formatDiagnostic, formatDiagnostics, type Diagnostic } from "../plugin/index.ts";
import { parseModule } from "../plugin/parse/parse.ts";
import { ROOT, compileFiles, problemsOf } from "./compile-support.ts";

const d: Diagnostic = {
  code: "CAIRN100", severity: "error", message: "`Date.now()` is nondeterministic", hint: "move it into an action",
  file: `${ROOT}/src/flow.ts`, line: 2, column: 13, endLine: 2, endColumn: 23,
};
const source = "const a = 1;\nconst now = Date.now();\n";

describe("formatDiagnostic", () => {
  it("renders location relative to cwd, code, message, hint and a code frame of the line", () => {
    expect(formatDiagnostic(d, { cwd: ROOT, source })).toBe(
      [
        "src/flow.ts:2:13: error CAIRN100: `Date.now()` is nondeterministic",
        "  hint: move it into an action",
        "> 2 | const now = Date.now();",
        "    |             ^^^^^^^^^^",
      ].join("\n"),
    );
  });

  it("omits the frame without source and separates several diagnostics by a blank line", () => {
    const other = { ...d, line: 1, column: 1, code: "CAIRN101" };
    expect(formatDiagnostics([d, other], { cwd: `${ROOT}/src` })).toBe(
      "flow.ts:2:13: error CAIRN100: `Date.now()` is nondeterministic\n  hint: move it into an action\n\n" +
        "flow.ts:1:1: error CAIRN101: `Date.now()` is nondeterministic\n  hint: move it into an action",
    );
  });
});

describe("the rule table", () => {
  it("has unique codes", () => {
    const codes = Object.values(Rules).map((r) => r.code);
    expect(new Set(codes).size).toBe(codes.length);
  });
});

describe("diagnostics of workflow bodies (body starts on line 8)", () => {
  it("reports every problem in one run, sorted by position", () => {
    expect(problemsOf(`const t = Date.now();\nconst p = a(1);\nif (p) { throw new Error("x"); }\nconst f = () => 1;\nreturn fetch("u");`)).toEqual([
      "8:11 CAIRN100",
      "10:5 CAIRN110",
      "10:10 CAIRN103",
      "11:11 CAIRN104",
      "12:8 CAIRN100",
    ]);
  });

  it("rejects map/filter callbacks outside the allowed positions and awaits inside them", () => {
    expect(problemsOf(`return items.map((v) => v + 1);`)).toEqual(["8:8 CAIRN104"]);
    expect(problemsOf(`const ys = items.map(async (v) => await a(v));`)).toEqual(["8:22 CAIRN114"]);
    expect(problemsOf(`const ys = items.map((v) => a(v));`)).toEqual(["8:29 CAIRN114"]);
  });

  it("rejects handles used as values, passed to actions, iterated or reassigned", () => {
    expect(problemsOf(`const p = a(1);\nawait b(p);\nfor (const v of p) {}\nlet q = b(2);\nq = 3;\nawait q;`)).toEqual([
      "9:9 CAIRN110",
      "10:17 CAIRN110",
      "12:1 CAIRN110",
    ]);
  });

  it("rejects module-level bindings that are not allowed and allows const primitives", () => {
    const result = compileFiles({
      "main.ts": `import { workflow } from "cairnjs";
const table = { a: 1 };
let mutable = 1;
const LIMIT = 3;
function helper() { return 1; }
export const w = workflow(async function w() {
  return [table, mutable, LIMIT, helper, window];
});`,
    });
    expect(result.diagnostics.map((x) => `${x.line}:${x.column} ${x.code} ${x.message}`)).toEqual([
      "7:11 CAIRN109 `table` is a module-level constant whose value is not a primitive constant (an object literal) and cannot be referenced from a workflow body",
      "7:18 CAIRN109 `mutable` is a module-level `let` variable and cannot be referenced from a workflow body",
      "7:34 CAIRN109 `helper` is a module-level function and cannot be referenced from a workflow body",
      "7:42 CAIRN109 `window` is not defined in the workflow body (globals other than pure builtins are not available)",
    ]);
  });

  it("folds module constants computed from constants, and rejects circular or non-constant ones", () => {
    const result = compileFiles({
      "main.ts": `import { workflow } from "cairnjs";
const A = B + 1;
const B = A * 2;
const SELF = SELF;
const OK = 2 ** 10 - 24;
const ODD = [1, 2].length;
export const w = workflow(async function w() {
  return [A, SELF, OK, ODD];
});`,
    });
    expect(result.diagnostics.map((x) => `${x.line}:${x.column} ${x.code} ${x.message}`)).toEqual([
      "8:11 CAIRN109 `A` is a module-level constant computed from `B` (not a constant primitive) and cannot be referenced from a workflow body",
      "8:14 CAIRN109 `SELF` is a module-level constant computed from itself and cannot be referenced from a workflow body",
      "8:24 CAIRN109 `ODD` is a module-level constant whose value is not a primitive constant (a property of a computed value) and cannot be referenced from a workflow body",
    ]);
  });

  it("reports a syntax error as CAIRN001 and produces no artifact", () => {
    const result = compileFiles({ "main.ts": `import { workflow } from "cairnjs";\nexport const w = workflow(async function w() {\n  return (1;\n});\n` });
    expect(result.workflows).toEqual([]);
    expect(result.diagnostics.map((x) => `${x.line}:${x.column} ${x.code} ${x.message}`)).toEqual(["3:12 CAIRN001 Unexpected token, expected \",\""]);
  });

  it("warns (CAIRN118) once per workflow about an action its module does not export, and still compiles the workflow", () => {
    const result = compileFiles({
      "main.ts": `import { action, workflow } from "cairnjs";
import { shared } from "./lib.ts";
const inc = action(async function inc(n: number): Promise<number> { return n + 1; });
export const w = workflow(async function w(n: number) {
  return await shared(await inc(await inc(n)));
});
`,
      "lib.ts": `import { action } from "cairnjs";\nconst shared = action(async function shared(n: number): Promise<number> { return n; });\nexport { shared };\n`,
    });
    expect(result.diagnostics.map((x) => `${x.line}:${x.column} ${x.severity} ${x.code} ${x.message}`)).toEqual([
      "5:39 warning CAIRN118 the action `inc` is not exported from ./main.ts: workers find actions among the exports of modules, so no worker would run `inc(...)`",
    ]);
    expect(result.workflows.map((wf) => [wf.name, wf.actions])).toEqual([["w", ["inc", "shared"]]]);
  });

  it("leaves Error.stackTraceLimit as it found it, after a clean parse and after one that gives up", () => {
    const before = Error.stackTraceLimit;
    try {
      Error.stackTraceLimit = 17;
      expect(parseModule("let i = 0;\nwhile (i < 3) i++;\n").syntaxErrors).toEqual([]);
      expect(Error.stackTraceLimit).toBe(17);
      // An unterminated template: Babel cannot recover and throws.
      const fatal = parseModule("const x = `abc");
      expect(fatal.ast).toBeNull();
      expect(fatal.syntaxErrors).toEqual([{ message: "Unterminated template.", line: 1, column: 11 }]);
      expect(Error.stackTraceLimit).toBe(17);
    } finally {
      Error.stackTraceLimit = before;
    }
  });

  it("rejects rethrowing anything but the caught error, and unsupported statements with a reason", () => {
    expect(problemsOf(`try { await a(); } catch (e) { const copy = e; throw copy; } finally { }\nvar old = 1;`)).toEqual([
      "8:48 CAIRN103",
      "8:70 CAIRN113",
      "9:1 CAIRN113",
    ]);
  });
});
