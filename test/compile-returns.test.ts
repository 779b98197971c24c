/**
 * `return call(...)` without `await`: an async function resolves with a returned
 * promise's outcome, so outside a `try` it compiles exactly as `return await
 * call(...)`; inside a `try` (with `catch` or `finally`) JavaScript would let the
 * call's failure escape the catch, so it is rejected there (CAIRN110).
 */
import { describe, expect, it } from "vitest";
import { printProgram } from "../plugin/index.ts";
import { HEADER, compileFiles, problemsOf, programOf } from "./compile-support.ts";

/** The program of a file of HEADER, a child workflow and `decl` (the workflow `w`), with no diagnostics. */
function programOfFile(decl: string): string {
  const result = compileFiles({ "main.ts": `${HEADER}export const child = workflow(async function child(n: number) { return n; });\n${decl}\n` });
  expect(result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`)).toEqual([]);
  const w = result.workflows.find((a) => a.name === "w");
  return printProgram(w!);
}

/** Diagnostics of a body as `line:col CODE message`; the body starts on line 8. */
function messagesOf(body: string): string[] {
  const result = compileFiles({ "main.ts": `${HEADER}export const wf = workflow(async function wf(x: any, y: any, items: any[]) {\n${body}\n});\n` });
  return result.diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`);
}

describe("return of a pending call outside try", () => {
  it.each([
    ["an action call", "a(x, 1)"],
    ["runAction", `runAction(a(x), { retry: { attempts: 2 }, timeout: "5s" })`],
    ["Promise.all", "Promise.all([a(1), b(2), x])"],
    ["Promise.allSettled of a fan-out", "Promise.allSettled(items.map((it) => a(it)))"],
    ["sleep", `sleep("1s")`],
    ["an action call with a cast", "a(x) as Promise<number>"],
  ])("%s compiles as `return await`", (_, call) => {
    expect(programOf(`const n = 1;\nreturn ${call};`)).toBe(programOf(`const n = 1;\nreturn await ${call};`));
  });

  it("awaits a returned variable that holds an un-awaited call, and only such a variable", () => {
    expect(programOf(`const p = a(x);\nconst q = 1;\nif (y) return q;\nreturn p;`)).toBe(programOf(`const p = a(x);\nconst q = 1;\nif (y) return q;\nreturn await p;`));
    expect(programOf(`const p = a(x);\nreturn p;`)).toMatchInlineSnapshot(`
      "b0:
        p = call c1 a[x]
        %t1 = await one p
        return %t1"
    `);
  });

  it("a child workflow call, and an arrow workflow whose body is the call", () => {
    const awaited = programOfFile(`export const w = workflow(async function w(n: number) { return await child(n); });`);
    expect(programOfFile(`export const w = workflow(async function w(n: number) { return child(n); });`)).toBe(awaited);
    expect(programOfFile(`export const w = workflow("w", async (n: number) => child(n));`)).toBe(awaited);
    expect(programOfFile(`export const w = workflow("w", async (n: number) => a(n));`)).toBe(
      programOfFile(`export const w = workflow("w", async (n: number) => await a(n));`),
    );
  });

  it("the run method of a workflow class", () => {
    const klass = (ret: string) =>
      `@workflow\nexport class W extends Workflow {\n  async run(n: number) {\n    ${ret}\n  }\n}`;
    const plain = compileFiles({ "main.ts": `${HEADER}${klass("return this.runAction(a(n), { timeout: \"1s\" });")}\n` });
    const awaited = compileFiles({ "main.ts": `${HEADER}${klass("return await this.runAction(a(n), { timeout: \"1s\" });")}\n` });
    expect(plain.diagnostics).toEqual([]);
    expect(plain.workflows.map((w) => printProgram(w))).toEqual(awaited.workflows.map((w) => printProgram(w)));
  });

  it("a ternary runs only the chosen branch's call, as `c ? await a() : await b()` would", () => {
    expect(programOf(`return x ? a(1) : y ? 3 : b(2);`)).toMatchInlineSnapshot(`
      "b0:
        branch x ? b1 : b2
      b1:
        %h1 = call c1 a[1]
        %t1 = await one %h1
        return %t1
      b2:
        branch y ? b3 : b4
      b3:
        return 3
      b4:
        %h2 = call c2 b[2]
        %t2 = await one %h2
        return %t2"
    `);
  });

  it("leaves returns of plain values as they were", () => {
    expect(programOf(`return x ? y : 3;`)).toMatchInlineSnapshot(`
      "b0:
        return (x ? y : 3)"
    `);
  });

  it("keeps the rules `await` has: a void action's result, a malformed runAction", () => {
    expect(problemsOf(`return note(1);`)).toEqual(["8:8 CAIRN111"]);
    expect(problemsOf(`return runAction(x);`)).toEqual(problemsOf(`return await runAction(x);`).map((p) => p.replace("8:14", "8:8")));
  });
});

describe("return of a pending call inside try", () => {
  const message = (call: string) =>
    `CAIRN110 returning the un-awaited call \`${call}\` from inside \`try\` would skip this \`catch\`/\`finally\` in JavaScript: the call's failure is not caught there, and \`finally\` runs before it settles`;

  it("is rejected at the call, in the try block at any depth, but not in a catch body", () => {
    const body = [
      "try {", //              8
      "  if (x) {", //         9
      "    return a(1);", //   10
      "  }", //                11
      "  try {", //            12
      "    return Promise.all([a(2)]);",
      "  } catch (inner) {", //14
      "    return b(3);", //   15: still inside the outer try
      "  }",
      "} catch (err) {",
      "  return b(4);", //     18: no finally, so this is `return await b(4)`
      "}",
    ].join("\n");
    expect(messagesOf(body)).toEqual([`10:12 ${message("a(1)")}`, `13:12 ${message("Promise.all([a(2)])")}`, `15:12 ${message("b(3)")}`]);
  });

  it("is rejected for a variable holding an un-awaited call and for a ternary's branch", () => {
    expect(messagesOf(`const p = a(1);\ntry {\n  return y ? p : b(2);\n} catch (err) {}\nreturn 0;`)).toEqual([
      `10:14 ${message("p")}`,
      `10:18 ${message("b(2)")}`,
    ]);
  });

  it("with a finally, also in the catch body (beside the finally's own CAIRN113)", () => {
    expect(problemsOf(`try {\n  await a(1);\n} catch (err) {\n  return b(2);\n} finally {\n  x = 1;\n}`)).toEqual(["11:10 CAIRN110", "12:11 CAIRN113"]);
  });

  it("accepts `return await` there", () => {
    expect(problemsOf(`try {\n  return await a(1);\n} catch (err) {\n  return b(2);\n}`)).toEqual([]);
  });
});
