/**
 * Stacks kept with error values (runtime/interpreter/error-stack.ts, errors.ts
 * STACK_KEY): what is captured and how it is bounded, that the workflow catching
 * the error sees exactly what it saw before (no stack), that a rethrow carries it
 * to the workflow's error (across a saved state), and the one-frame location of
 * an error the interpreter raised itself.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { boundedStack, MAX_STACK_BYTES, MAX_STACK_LINES } from "../runtime/interpreter/error-stack.ts";
import { capError, errorFromThrown, errorStack, STACK_KEY } from "../runtime/interpreter/errors.ts";
import { WorkflowError } from "../runtime/index.ts";
import { compileFixture, importActions, runCompiled } from "./helpers/compiled.ts";
import { REPO_ROOT } from "./helpers/fixtures.ts";

const frames = (n: number, width = 0) => Array.from({ length: n }, (_, i) => `at f${i} (/src/f.ts:${i + 1}:1)${"x".repeat(width)}`);
const v8Stack = (header: string, lines: string[]) => [header, ...lines.map((l) => `    ${l}`)].join("\n");

describe("boundedStack", () => {
  it("keeps the frames without their indentation, not the `Name: message` header (even of several lines)", () => {
    expect(boundedStack(v8Stack("Error: boom", frames(2)))).toBe("at f0 (/src/f.ts:1:1)\nat f1 (/src/f.ts:2:1)");
    expect(boundedStack(v8Stack("Error: two\nlines", ["at async Promise.all (index 0)", "at /src/g.ts:3:4"]))).toBe("at async Promise.all (index 0)\nat /src/g.ts:3:4");
  });

  it("is undefined for a stack without frames", () => {
    expect(boundedStack("Error: boom")).toBeUndefined();
    expect(boundedStack("some text someone set")).toBeUndefined();
    expect(boundedStack("")).toBeUndefined();
  });

  it("keeps 40 lines, the last saying how long the stack was", () => {
    const all = frames(100);
    const bytes = Buffer.byteLength(all.join("\n"));
    expect(boundedStack(v8Stack("Error: deep", all))).toBe(
      [...all.slice(0, 39), `… [stack truncated: 100 lines, ${bytes} bytes; at most 40 lines and 8192 bytes are kept]`].join("\n"),
    );
    expect([MAX_STACK_LINES, MAX_STACK_BYTES]).toEqual([40, 8192]);
    // Exactly at the limit: nothing is cut.
    expect(boundedStack(v8Stack("Error", frames(40)))).toBe(frames(40).join("\n"));
  });

  it("keeps at most 8 KiB of whole frames", () => {
    const all = frames(30, 480);
    const bytes = Buffer.byteLength(all.join("\n"));
    const kept = boundedStack(v8Stack("Error", all))!;
    const lines = kept.split("\n");
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_STACK_BYTES);
    expect(lines.slice(0, -1)).toEqual(all.slice(0, lines.length - 1));
    expect(lines.length).toBe(16);
    expect(lines.at(-1)).toBe(`… [stack truncated: 30 lines, ${bytes} bytes; at most 40 lines and 8192 bytes are kept]`);
  });

  it("cuts a single frame longer than the budget, never inside a surrogate pair", () => {
    const huge = `at eval (${"😀".repeat(5000)})`;
    const kept = boundedStack(v8Stack("Error", [huge]))!;
    const [first, note] = kept.split("\n");
    expect(Buffer.byteLength(kept)).toBeLessThanOrEqual(MAX_STACK_BYTES);
    expect(huge.startsWith(first!)).toBe(true);
    expect((first! as unknown as { isWellFormed(): boolean }).isWellFormed()).toBe(true);
    expect(note).toBe(`… [stack truncated: 1 lines, ${Buffer.byteLength(huge)} bytes; at most 40 lines and 8192 bytes are kept]`);
  });
});

function thrower(): never {
  throw Object.assign(new Error("boom"), { code: 7, "%stack": "mine" });
}

describe("errorFromThrown", () => {
  it("keeps a thrown Error's frames under %stack, after its properties; a user's %stack property is escaped", () => {
    let e: unknown;
    try {
      thrower();
    } catch (err) {
      e = errorFromThrown(err);
    }
    expect(e).toEqual({
      name: "Error", message: "boom", ancestry: ["Error"], code: 7, "%%stack": "mine",
      "%stack": expect.stringMatching(/^at thrower \(.*\/test\/error-stack\.test\.ts:\d+:\d+\)\n/),
    });
    expect(Object.keys(e as object).at(-1)).toBe(STACK_KEY);
    expect(errorStack(e)).not.toContain("boom");
  });

  it("keeps no stack for a thrown value that is not an Error, a stack without frames, or one that cannot be read", () => {
    expect(errorFromThrown("boom")).toEqual({ name: "Error", message: "boom", ancestry: [], "%thrown": "boom" });
    const set = new Error("set");
    set.stack = "text someone set";
    expect(errorFromThrown(set)).toEqual({ name: "Error", message: "set", ancestry: ["Error"] });
    const hostile = new Error("hostile");
    Object.defineProperty(hostile, "stack", { get() { throw new Error("no"); } });
    expect(errorFromThrown(hostile)).toEqual({ name: "Error", message: "hostile", ancestry: ["Error"] });
  });

  it("an error over the size limit keeps its stack when it takes at most half the limit", () => {
    const big = new Error("x".repeat(100_000));
    const stack = errorStack(errorFromThrown(new Error("small")));
    const capped = errorFromThrown(big);
    expect(Object.keys(capped)).toEqual(["name", "message", "ancestry", "truncated", STACK_KEY]);
    expect(errorStack(capped)).toMatch(/^at .*error-stack\.test\.ts/);
    expect(stack).toBeDefined();
    const tiny = capError({ name: "Error", message: "y".repeat(5000), ancestry: ["Error"], [STACK_KEY]: "at a (b.ts:1:1)\n".repeat(20) }, 600);
    expect(Object.keys(tiny)).toEqual(["name", "message", "ancestry", "truncated"]);
  });
});

const SOURCE = `
import { action, workflow, sleep } from "cairnjs";
export const fail = action(async function fail() { throw Object.assign(new Error("boom"), { code: 7 }); });
export const inspect = workflow(async function inspect() {
  try {
    await fail();
    return null;
  } catch (e) {
    const err = e as Error & { code: number };
    const spread = { ...err };
    return { keys: Object.keys(err), json: JSON.stringify(err), stack: typeof err.stack, spread, has: "%stack" in err, text: String(err), code: err.code };
  }
});
export const rethrow = workflow(async function rethrow() {
  try {
    await fail();
  } catch (e) {
    await sleep("1s");
    throw e;
  }
});
export const located = workflow(async function located(text: string) {
  const parsed = JSON.parse(text) as { a: number };
  return parsed.a;
});
export const nullRead = workflow(async function nullRead(o: { a: { b: number } | null }) {
  return o.a!.b;
});
`;

async function failure(p: Promise<unknown>): Promise<Record<string, unknown>> {
  const e = await p.then(() => undefined, (err: unknown) => err);
  if (!(e instanceof WorkflowError)) throw new Error(`expected a WorkflowError, got ${String(e)}`);
  return e.error as unknown as Record<string, unknown>;
}

describe("in a workflow", async () => {
  // Four workflows in one file (inlineWorkflow takes one): written and compiled as it does.
  const file = join(REPO_ROOT, "test", "tmp", "error_stack_wf.ts");
  mkdirSync(join(REPO_ROOT, "test", "tmp"), { recursive: true });
  writeFileSync(file, SOURCE);
  const { entry, result } = compileFixture(file, SOURCE);
  const actions = await importActions(result);
  const named = (name: string) => entry(name);
  const lines = SOURCE.split("\n");
  const lineOf = (text: string) => lines.findIndex((l) => l.includes(text)) + 1;
  /** `line:col` (1-based) where `text` starts in SOURCE. */
  const at = (text: string) => `${lineOf(text)}:${lines[lineOf(text) - 1]!.indexOf(text) + 1}`;

  it("a caught action error looks exactly as it did without a stack: keys, JSON, spread, `in`, e.stack", async () => {
    expect(await runCompiled(named("inspect"), actions, {})).toEqual({
      keys: ["code"], json: '{"code":7}', stack: "undefined", spread: { code: 7 }, has: false, text: "Error: boom", code: 7,
    });
  });

  it("rethrown, after the state was saved at a sleep, the workflow's error carries the action's stack", async () => {
    const error = await failure(runCompiled(named("rethrow"), actions, {}));
    expect(error).toEqual({
      name: "Error", message: "boom", ancestry: ["Error"], code: 7,
      // Only the action's frame: cairn's frames below it are cut (runtime/runner/attempt.ts).
      [STACK_KEY]: expect.stringMatching(new RegExp(`^at fail \\(.*/test/tmp/error_stack_wf\\.ts:${lineOf("throw Object.assign")}:\\d+\\)$`)),
    });
  });

  it("an error the workflow raises itself (a native operation, the evaluator) has its location as its stack", async () => {
    const parse = await failure(runCompiled(named("located"), actions, { text: "{" }));
    expect(parse[STACK_KEY]).toBe(`at located (test/tmp/error_stack_wf.ts:${at("JSON.parse(text)")})`);
    const read = await failure(runCompiled(named("nullRead"), actions, { o: { a: null } }));
    expect([read.name, read[STACK_KEY]]).toEqual(["TypeError", `at nullRead (test/tmp/error_stack_wf.ts:${at("return o.a!.b")})`]);
  });
});
