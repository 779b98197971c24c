import { describe, expect, it } from "vitest";
// Actions are named explicitly: Vite's esbuild transform renames a function expression
// that shadows its own const (`const f = action(function f ...)` -> `f2`).
import { action, actionContext, type ActionContext } from "../index.ts";
import { runLocal, virtualClock, realClock, WorkflowError, InputError, type LocalEvent } from "../runtime/index.ts";
import {
  arr, awaitAll, awaitOne, awaitSettled, block, call, callAwait, catchTo, lit, obj, path, prop, ret, returning, sleep, tmpl, v, workflow,
} from "./helpers/ir-builders.ts";

const upper = action("upper", async function upper(s: string) { return s.toUpperCase(); });
const exclaim = action("exclaim", async (s: string) => `${s}!`);
const chain = workflow(["text"], [block(ret(v("b")), [callAwait("c1", "upper", [v("text")], "a"), callAwait("c2", "exclaim", [v("a")], "b")])]);

async function rejection(p: Promise<unknown>): Promise<WorkflowError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof WorkflowError) return e;
    throw e;
  }
  throw new Error("expected the workflow to fail");
}

describe("runLocal", () => {
  it("runs a sequence with actions from a module-like record (non-actions ignored)", async () => {
    const mod = { upper, exclaim, helper: () => 1, VERSION: 3 };
    expect(await runLocal(chain, { text: "hi" }, { actions: mod, clock: virtualClock() })).toBe("HI!");
  });

  it("refuses to start when an action is missing", async () => {
    await expect(runLocal(chain, { text: "hi" }, { actions: [upper] })).rejects.toThrow(
      new Error("workflow TestWorkflow calls action 'exclaim', which was not provided"),
    );
  });

  it("rejects bad input and non-actions", async () => {
    await expect(runLocal(chain, { txt: "hi" }, { actions: [upper, exclaim] })).rejects.toThrow(new InputError("unknown input 'txt' for workflow TestWorkflow; it takes (text)"));
    await expect(runLocal(chain, {}, { actions: [upper, exclaim, () => 1] })).rejects.toThrow("runLocal: function (anonymous) is not an action (wrap it with action(...))");
  });

  it("arguments and results cross as copies", async () => {
    const mutate = action("mutate", async function mutate(o: { n: number[] }) {
      o.n.push(99);
      return { when: new Date(0), skip: undefined, list: [undefined, 1] };
    });
    const wf = returning(arr(v("o"), v("r")), [], [
      { kind: "assign", target: "o", path: [], value: lit({ n: [1] }), loc: "wf.ts:1:1" },
      callAwait("c1", "mutate", [v("o")], "r"),
    ]);
    const result = await runLocal(wf, {}, { actions: [mutate] });
    expect(result).toEqual([{ n: [1] }, { when: "1970-01-01T00:00:00.000Z", list: [undefined, 1] }]);
    expect(1 in (result as [unknown, { list: unknown[] }])[1].list).toBe(true);
  });

  it.each<[string, () => unknown, string]>([
    ["a function", () => ({ f: () => 1 }), "is not JSON: it contains a function at result.f"],
    ["a BigInt", () => [1n], "is not JSON: it contains a bigint at result[0]"],
    ["a cycle", () => { const o: Record<string, unknown> = {}; o.self = { o }; return o; }, "is not JSON: it contains a circular reference at result.self.o"],
    ["a symbol under an odd key", () => ({ "a b": [1, Symbol("s")] }), 'is not JSON: it contains a symbol at result["a b"][1]'],
    ["nothing but a function", () => () => 1, "is not JSON: it is a function"],
    ["a throwing toJSON", () => ({ d: { toJSON() { throw new Error("nope"); } } }), "cannot be read at result.d: its toJSON threw nope"],
    ["a throwing getter", () => ({ get g() { throw new Error("nope"); } }), "cannot be read at result.g: reading it threw nope"],
    ["too deep a nesting", () => { let a: unknown[] = []; for (let i = 0; i < 200_000; i++) a = [a]; return a; }, "is nested deeper than 1000 levels at result[0][0][0][0]…(992 more)…[0][0][0][0]"],
    ["a lone surrogate", () => ({ s: ["ok", "a\udc00"] }), "has a lone surrogate at result.s[1]"],
    ["a NUL character", () => "a\u0000", "has a NUL character (\\u0000) at result"],
  ])("a result holding %s fails the call without retrying, as it fails durably", async (_what, make, problem) => {
    let attempts = 0;
    const bad = action("bad", async () => { attempts++; return make(); });
    const e = await rejection(runLocal(returning(v("r"), [], [callAwait("c1", "bad", [], "r")]), {}, { actions: [bad], clock: virtualClock() }));
    expect([e.name, e.message, attempts]).toEqual(["PayloadError", `result of action 'bad' ${problem}`, 1]);
  });

  it("fails with a WorkflowError carrying the escaped error's class chain and data", async () => {
    class HttpError extends Error { constructor(message: string, readonly status: number) { super(message); } }
    class NotFound extends HttpError { override name = "NotFound"; }
    const get = action("get", async function get() { throw new NotFound("no such user", 404); });
    const e = await rejection(runLocal(returning(v("r"), [], [callAwait("c1", "get", [], "r", { options: obj(prop("retry", obj(prop("attempts", lit(1))))) })]), {}, { actions: [get] }));
    expect(e).toBeInstanceOf(Error);
    expect([e.name, e.message, e.ancestry]).toEqual(["NotFound", "no such user", ["NotFound", "HttpError", "Error"]]);
    // `%own`: the class field `name` was an own enumerable property of the thrown error.
    // `%stack`: the frames of the action's stack (error-stack.ts): here only the action
    // itself, since cairn's own frames below it are cut (runtime/runner/attempt.ts).
    expect(e.error).toEqual({
      name: "NotFound", message: "no such user", ancestry: ["NotFound", "HttpError", "Error"], "%own": ["name"], status: 404,
      "%stack": expect.stringMatching(/^at get \(.*\/test\/run-local-basic\.test\.ts:\d+:\d+\)$/),
    });
  });

  it("`__proto__` in an action result is plain data", async () => {
    const evil = action("evil", async function evil() { return JSON.parse('{"__proto__": {"admin": true}, "constructor": 1}'); });
    const wf = returning(arr(path("r", "admin"), path("r", "constructor"), path("r", "__proto__", "admin")), [], [callAwait("c1", "evil", [], "r")]);
    expect(await runLocal(wf, {}, { actions: [evil] })).toEqual([undefined, 1, true]);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it("deferred calls run concurrently with each other and the workflow", async () => {
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const waiter = action("waiter", async function waiter() { await gate; return "waited"; });
    const opener = action("opener", async function opener() { release(); return "opened"; });
    // p = waiter(); o = await opener(); w = await p — deadlocks if calls ran one at a time.
    const wf = returning(arr(v("w"), v("o")), [], [call("c1", "waiter", [], "p"), callAwait("c2", "opener", [], "o"), awaitOne(v("p"), "w")]);
    expect(await runLocal(wf, {}, { actions: [waiter, opener] })).toEqual(["waited", "opened"]);
  });

  const fan = (mode: typeof awaitAll) => workflow([], [
    block(ret(v("rs")), [call("c1", "ok", [], "h1"), call("c2", "bad", [], "h2"), call("c3", "hang", [], "h3"), mode(arr(v("h1"), v("h2"), v("h3")), "rs")], catchTo(1, "e")),
    block(ret(tmpl(["caught ", ""], [path("e", "message")]))),
  ]);

  it("Promise.all fails fast while another call is still running; the run then aborts it", async () => {
    let hangSignal: AbortSignal | undefined;
    const ok = action("ok", async function ok() { return 1; });
    const bad = action("bad", async function bad() { throw new Error("bad one"); });
    const hang = action("hang", async function hang() { hangSignal = actionContext().signal; return new Promise(() => {}); });
    const opts = { actions: [ok, bad, hang], clock: virtualClock(), defaultRetry: { attempts: 1 } };
    expect(await runLocal(fan(awaitAll), {}, opts)).toBe("caught bad one");
    expect(hangSignal?.aborted).toBe(true);
  });

  it("Promise.allSettled reports every outcome", async () => {
    const ok = action("ok", async function ok() { return 1; });
    const bad = action("bad", async function bad() { throw new RangeError("too big"); });
    const hang = action("hang", async function hang() { return "late"; });
    expect(await runLocal(fan(awaitSettled), {}, { actions: [ok, bad, hang], defaultRetry: { attempts: 1 } })).toEqual([
      { status: "fulfilled", value: 1 },
      // The reason is the RangeError; returned, it is what JSON keeps of it: nothing.
      { status: "rejected", reason: {} },
      { status: "fulfilled", value: "late" },
    ]);
  });

  it("virtual sleeps take no real time and never wake early", async () => {
    const clock = virtualClock({ start: 1_000 });
    const events: LocalEvent[] = [];
    const started = Date.now();
    const wf = returning(lit("done"), [], [sleep(lit("2h")), sleep(lit(1))]);
    expect(await runLocal(wf, {}, { actions: [], clock, onEvent: (e) => events.push(e) })).toBe("done");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(events).toEqual([
      { type: "sleep", at: 1_000, until: 7_201_000 },
      { type: "sleep", at: 7_201_000, until: 7_201_001 },
      { type: "complete", at: 7_201_001, result: "done" },
    ]);
  });

  it("real sleeps wait at least their duration", async () => {
    const started = Date.now();
    await runLocal(returning(lit(1), [], [sleep(lit("40ms"))]), {}, { actions: [], clock: realClock() });
    expect(Date.now() - started).toBeGreaterThanOrEqual(40);
  });

  it("actionContext() gives the attempt's identity; the idempotency key is stable across attempts", async () => {
    const seen: Omit<ActionContext, "signal">[] = [];
    const flaky = action("flaky", async function flaky() {
      const { signal, ...rest } = actionContext();
      expect(signal).toBeInstanceOf(AbortSignal);
      seen.push(rest);
      if (rest.attempt < 2) throw new Error("again");
      return rest.attempt;
    });
    const wf = returning(v("r"), [], [callAwait("s1", "flaky", [], "r")]);
    expect(await runLocal(wf, {}, { actions: [flaky], clock: virtualClock(), workflowId: "wf-1" })).toBe(2);
    expect(seen).toEqual([
      { workflowId: "wf-1", actionId: "s1", attempt: 1, idempotencyKey: "wf-1:s1" },
      { workflowId: "wf-1", actionId: "s1", attempt: 2, idempotencyKey: "wf-1:s1" },
    ]);
  });
});
