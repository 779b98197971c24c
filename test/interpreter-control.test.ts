import { describe, expect, it } from "vitest";
import { advance, resolve, start, stateFromJson, stateToJson, InputError, InterpreterError, type Outcome } from "../runtime/interpreter/index.ts";
import {
  arr, assign, awaitAll, awaitOne, awaitSettled, bin, block, branch, call, callAwait, catchTo, glob, isErr, jump, lit, mem, obj, path,
  prop, push, ret, retryPolicy, returning, sleep, thr, tmpl, un, v, workflow,
} from "./helpers/ir-builders.ts";
import { runSync } from "./helpers/interp.ts";
import { drive } from "./helpers/drive.ts";

const okv = (value: unknown): Outcome => ({ ok: true, value: value as never });
const fail = (name: string, message: string): Outcome => ({ ok: false, error: { name, message, ancestry: [name, "Error"] } });

describe("start", () => {
  const wf = returning(arr(v("a"), v("b")), ["a", "b"]);
  it("binds params; a missing optional one (a default or `?`) is undefined, a missing required one is an InputError", () => {
    const optional = { ...wf, optional: ["b"] };
    // The result is plain data; JSON (whoever stores it) turns the undefined into null.
    expect(runSync(optional, { a: 1 }).result).toEqual([1, undefined]);
    expect(start(optional, { a: 1 }).vars).toEqual({ a: 1 });
    expect(() => start(wf, { a: 1 })).toThrow(new InputError("missing input 'b' for workflow TestWorkflow; it takes (a, b)"));
    expect(() => start(wf, {})).toThrow(new InputError("missing input 'a', 'b' for workflow TestWorkflow; it takes (a, b)"));
  });
  it("rejects unknown input keys, input that is no object and input JSON cannot hold, in the durable engine's words", () => {
    expect(() => start(wf, { a: 1, x: 2 })).toThrow(new InputError("unknown input 'x' for workflow TestWorkflow; it takes (a, b)"));
    expect(() => start(wf, JSON.parse('{"__proto__": 1}'))).toThrow(new InputError("unknown input '__proto__' for workflow TestWorkflow; it takes (a, b)"));
    expect(() => start(wf, [1] as never)).toThrow(new InputError("input of workflow TestWorkflow must be an object keyed by its parameters (a, b)"));
    expect(() => start(wf, { a: { f: () => 1 } })).toThrow(new InputError("input of workflow TestWorkflow is not JSON: it contains a function at input.a.f"));
    const cycle: Record<string, unknown> = {};
    cycle.b = cycle;
    expect(() => start(wf, cycle)).toThrow(new InputError("input of workflow TestWorkflow is not JSON: it contains a circular reference at input.b"));
  });
});

describe("calls and awaits", () => {
  const seq = workflow(["x"], [
    block(ret(tmpl(["", "+", ""], [v("a"), v("b")])), [
      callAwait("c1", "first", [v("x")], "a"),
      callAwait("c2", "second", [v("a"), lit(2)], "b", {
        options: obj(prop("retry", obj(prop("attempts", lit(2)), prop("delay", lit("2s")))), prop("timeout", lit("30s"))),
      }),
    ]),
  ]);

  it("dispatches one call at a time, waits, resumes with the result", () => {
    let state = start(seq, { x: "in" });
    let step = advance(seq, state, 0);
    expect(step.dispatch).toEqual([{ callId: "c1", action: "first", args: ["in"], options: {} }]);
    expect(step.state.status).toBe("waiting");
    expect(step.state.wait).toEqual({ kind: "calls", mode: "one", pending: { c1: true }, ready: false });
    expect(advance(seq, step.state, 5).dispatch).toEqual([]);
    state = resolve(step.state, "c1", okv("A"));
    step = advance(seq, state, 0);
    expect(step.dispatch).toEqual([{ callId: "c2", action: "second", args: ["A", 2], options: { retry: { attempts: 2, delay: 2000 }, timeout: 30000 } }]);
    step = advance(seq, resolve(step.state, "c2", okv("B")), 0);
    expect(step.state.status).toBe("completed");
    expect(step.state.result).toBe("A+B");
  });

  it("a failed call raises where it is awaited", () => {
    const r = drive(seq, { x: "in" }, (d) => (d.action === "second" ? fail("Boom", "no") : okv(1)));
    expect(r.state.status).toBe("failed");
    expect(r.state.error).toEqual({ name: "Boom", message: "no", ancestry: ["Boom", "Error"] });
  });

  it("RetryPolicy options fill attempts with 100", () => {
    const wf = returning(lit(0), [], [call("c1", "a", [], "h", { options: obj(prop("retry", retryPolicy(obj(prop("delay", lit(5)))))) })]);
    expect(advance(wf, start(wf, {}), 0).dispatch[0].options).toEqual({ retry: { attempts: 100, delay: 5 } });
  });

  it("trailing undefined arguments are dropped, others stay undefined", () => {
    const wf = returning(lit(0), [], [call("c1", "a", [glob("undefined"), lit(1), glob("undefined")], "h")]);
    const args = advance(wf, start(wf, {}), 0).dispatch[0].args;
    expect(args).toEqual([undefined, 1]);
    expect(args).toHaveLength(2);
  });

  it("awaiting a non-handle passes the value through", () => {
    expect(runSync(returning(v("r"), [], [awaitOne(lit(5), "r")])).result).toBe(5);
  });

  it("a handle cannot be passed to an action or returned", () => {
    const leak = returning(lit(0), [], [call("c1", "a", [], "h"), call("c2", "b", [obj(prop("p", v("h")))], "h2")]);
    expect(runSync(leak).error).toMatchObject({ name: "TypeError", message: "the action call 'c1' has not been awaited and cannot be passed to action 'b'; await it first" });
    const ret1 = returning(v("h"), [], [call("c1", "a", [], "h")]);
    expect(runSync(ret1).error).toMatchObject({ message: "the action call 'c1' has not been awaited and cannot be returned; await it first" });
  });

  it("deferred handles: calls run while the workflow continues", () => {
    const wf = returning(arr(v("ra"), v("rb")), [], [
      call("c1", "a", [], "pa"), call("c2", "b", [], "pb"), awaitOne(v("pb"), "rb"), awaitOne(v("pa"), "ra"),
    ]);
    const step = advance(wf, start(wf, {}), 0);
    expect(step.dispatch.map((d) => d.callId)).toEqual(["c1", "c2"]);
    expect(step.state.wait).toEqual({ kind: "calls", mode: "one", pending: { c2: true }, ready: false });
    resolve(step.state, "c1", okv("A"));
    expect(step.state.wait).toMatchObject({ ready: false });
    resolve(step.state, "c2", okv("B"));
    expect(advance(wf, step.state, 0).state.result).toEqual(["A", "B"]);
  });
});

describe("loops and call ids", () => {
  // for (let i = 0; i < n; i++) out.push(await work(i)); return out
  const loop = (iter: string[]) => workflow(["n"], [
    block(jump(1), [assign("out", arr()), assign("i", lit(0))]),
    block(branch(bin("<", v("i"), v("n")), 2, 3)),
    block(jump(1), [callAwait("c1", "work", [v("i")], "r", { iter }), push("out", arr(v("r"))), assign("i", bin("+", v("i"), lit(1)))]),
    block(ret(v("out"))),
  ]);

  it("call ids carry the loop counters", () => {
    const r = drive(loop(["i"]), { n: 3 }, (d) => okv((d.args[0] as number) * 10));
    expect(r.dispatched.map((d) => d.callId)).toEqual(["c1@0", "c1@1", "c1@2"]);
    expect(r.state.result).toEqual([0, 10, 20]);
  });

  it("resolved calls no variable can reach any more are forgotten", () => {
    const wf = loop(["i"]);
    let step = advance(wf, start(wf, { n: 3 }), 0);
    step = advance(wf, resolve(step.state, "c1@0", okv({ big: "payload" })), 0);
    expect(step.state.calls).toEqual({
      "c1@1": { action: "work", args: [1], options: {}, status: "pending" },
    });
    expect(step.state.vars.out).toEqual([{ big: "payload" }]);
    expect(() => resolve(step.state, "c1@0", okv(1))).toThrow(new InterpreterError("resolve: no call 'c1@0' in this workflow"));
  });

  it("the calls table stays the size of what is live over thousands of calls", () => {
    const wf = loop(["i"]);
    let state = advance(wf, start(wf, { n: 3000 }), 0).state;
    const sizes: number[] = [];
    for (let i = 0; i < 3000; i++) {
      state = advance(wf, resolve(state, `c1@${i}`, okv(i)), 0).state;
      expect(Object.keys(state.calls).length).toBeLessThanOrEqual(1);
      if (i === 10 || i === 2990) sizes.push(JSON.stringify(stateToJson({ ...state, vars: { ...state.vars, out: [] } })).length);
    }
    expect(state.result).toHaveLength(3000);
    // The same shape early and late: only the digits of the counters grow.
    expect(sizes[1] - sizes[0]).toBeLessThan(30);
  });

  it("a call id dispatched twice is an internal error", () => {
    expect(() => drive(loop([]), { n: 2 }, () => okv(1))).toThrow(
      new InterpreterError("call id 'c1' (action 'work' at wf.ts:1:1) was dispatched twice; the call's 'iter' counters must distinguish repeated executions"),
    );
  });

  it("a call id reused after its call was forgotten is still an internal error, through a reload", () => {
    // The handle is dropped after each await, so the first call is forgotten before the loop comes round.
    const forgetful = (iter: string[]) => workflow(["n"], [
      block(jump(1), [assign("i", lit(0))]),
      block(branch(bin("<", v("i"), v("n")), 2, 3)),
      block(jump(1), [callAwait("c1", "work", [v("i")], "r", { iter }), assign("%h_c1", glob("undefined")), sleep(lit(1)), assign("i", bin("+", v("i"), lit(1)))]),
      block(ret(v("r"))),
    ]);
    expect(() => drive(forgetful([]), { n: 2 }, () => okv(1), { roundTrip: true })).toThrow(/call id 'c1' \(action 'work' at wf.ts:1:1\) was dispatched twice/);
    const ok = drive(forgetful(["i"]), { n: 3 }, () => okv(1), { roundTrip: true });
    expect(ok.dispatched.map((d) => d.callId)).toEqual(["c1@0", "c1@1", "c1@2"]);
    expect(ok.state.sites).toEqual({ c1: [2] });
    expect(Object.keys(ok.state.calls)).toEqual([]);
  });
});

describe("all and allSettled", () => {
  const fanout = (mode: "all" | "allSettled") => workflow([], [
    block(ret(v("rs")), [call("c1", "a", [], "h1"), call("c2", "b", [], "h2"), call("c3", "c", [], "h3"),
      (mode === "all" ? awaitAll : awaitSettled)(arr(v("h1"), lit("plain"), v("h2"), v("h3")), "rs")], catchTo(1, "e")),
    block(ret(tmpl(["caught ", ""], [path("e", "message")]))),
  ]);

  it("all collects results in order, values pass through", () => {
    expect(drive(fanout("all"), {}, (d) => okv(d.action.toUpperCase())).state.result).toEqual(["A", "plain", "B", "C"]);
  });

  it("all fails fast with the first failure to arrive, even while others are pending", () => {
    const wf = fanout("all");
    const step = advance(wf, start(wf, {}), 0);
    resolve(step.state, "c3", fail("E3", "third"));
    expect(step.state.wait).toEqual({ kind: "calls", mode: "all", pending: { c1: true, c2: true }, ready: true });
    resolve(step.state, "c2", fail("E2", "second"));
    expect(advance(wf, step.state, 0).state.result).toBe("caught third");
  });

  it("allSettled waits for everything and describes each outcome", () => {
    const r = drive(fanout("allSettled"), {}, (d) => (d.action === "b" ? fail("Nope", "b failed") : okv(d.action)));
    expect(r.state.result).toEqual([
      { status: "fulfilled", value: "a" },
      { status: "fulfilled", value: "plain" },
      // A rejected reason is an Error: as JSON it has no properties (name and message are not own enumerable).
      { status: "rejected", reason: {} },
      { status: "fulfilled", value: "c" },
    ]);
  });

  it("an empty list yields [] without waiting", () => {
    expect(runSync(returning(v("r"), [], [awaitAll(arr(), "r")])).result).toEqual([]);
  });
});

describe("errors and handlers", () => {
  // try { r = await risky() } catch (e) { if (e instanceof Retryable) return "soft: " + e.message; throw e } (outer: catch (e2) return "outer " + e2.name)
  const wf = workflow([], [
    block(ret(v("r")), [callAwait("c1", "risky", [], "r")], catchTo(1, "e")),
    block(branch(isErr(v("e"), "Retryable"), 2, 3), [], catchTo(4, "e2")),
    block(ret(bin("+", lit("soft: "), path("e", "message"))), [], catchTo(4, "e2")),
    block(thr(v("e")), [], catchTo(4, "e2")),
    block(ret(bin("+", lit("outer "), path("e2", "name")))),
  ]);
  const err = (name: string, ancestry: string[]): Outcome => ({ ok: false, error: { name, message: "m", ancestry } });

  it("catches by class ancestry", () => {
    expect(drive(wf, {}, () => err("Flaky", ["Flaky", "Retryable", "Error"])).state.result).toBe("soft: m");
  });
  it("rethrow goes to the enclosing handler", () => {
    expect(drive(wf, {}, () => err("Fatal", ["Fatal", "Error"])).state.result).toBe("outer Fatal");
  });
  it("an uncaught rethrow fails the workflow with the same error", () => {
    const bare = workflow([], [block(ret(v("r")), [callAwait("c1", "risky", [], "r")], catchTo(1, "e")), block(thr(v("e")))]);
    const error = { name: "Fatal", message: "m", ancestry: ["Fatal", "Error"], code: 7 };
    expect(drive(bare, {}, () => ({ ok: false, error })).state).toMatchObject({ status: "failed", error });
  });
  it("expression errors are catchable with JavaScript's name and message", () => {
    const w = workflow(["o"], [
      block(ret(lit("unreachable")), [assign("x", path("o", "a", "b"))], catchTo(1, "e")),
      block(ret(obj(prop("name", path("e", "name")), prop("message", path("e", "message")), prop("isType", isErr(v("e"), "TypeError"))))),
    ]);
    expect(runSync(w, { o: {} }).result).toEqual({ name: "TypeError", message: "Cannot read properties of undefined (reading 'b')", isType: true });
    const parse = workflow([], [
      block(ret(lit(0)), [assign("x", { kind: "builtin", name: "JSON.parse", args: [lit("nope")], loc: "wf.ts:1:1" })], catchTo(1, "e")),
      block(ret(obj(prop("name", path("e", "name")), prop("message", path("e", "message")), prop("keys", { kind: "builtin", name: "Object.keys", args: [v("e")], loc: "wf.ts:1:1" }), prop("isSyntax", isErr(v("e"), "SyntaxError"))))),
    ]);
    expect(runSync(parse).result).toEqual({ name: "SyntaxError", message: `Unexpected token 'o', "nope" is not valid JSON`, keys: [], isSyntax: true });
  });
  it("an error in a branch condition is raised in that block", () => {
    const w = workflow([], [block(branch(path("u", "x"), 1, 1), [], catchTo(2, "e")), block(ret(lit(1))), block(ret(lit("caught")))]);
    expect(runSync(w).result).toBe("caught");
  });
});

describe("assignment and push", () => {
  it("assign into nested paths and arrays; push appends", () => {
    const w = returning(v("o"), [], [
      assign("o", obj(prop("a", obj()), prop("xs", arr()))),
      assign("o", lit(1), "a", "b"),
      push("o", arr(lit(1), lit(2)), "xs"),
      assign("o", lit("z"), "xs", 0),
      assign("o", glob("undefined"), "a", "b"),
    ]);
    expect(runSync(w).result).toEqual({ a: {}, xs: ["z", 2] });
  });
  it("NaN, Infinity and nested undefined survive in state and through the codec; undefined variables are absent", () => {
    const s = runSync(returning(lit(0), [], [
      assign("n", bin("/", lit(0), lit(0))), assign("u", glob("undefined")), assign("a", arr(glob("undefined"), un("-", glob("Infinity")))),
      assign("o", obj(prop("k", glob("undefined")), prop("tricky", lit({ "%value": "other" })))),
    ]));
    expect(Object.keys(s.vars)).toEqual(["n", "a", "o"]);
    const json = stateToJson(s) as { vars: unknown; heap: unknown };
    expect(json.vars).toEqual({ n: ["NaN"], a: [0], o: [1] });
    // User keys starting with % get one more: user data never reads back as a tag.
    expect(json.heap).toEqual([[["undefined"], ["-Infinity"]], { k: ["undefined"], tricky: [2] }, { "%%value": "other" }]);
    const back = stateFromJson(JSON.parse(JSON.stringify(json)));
    expect(back.vars.n).toBeNaN();
    expect(back.vars.a).toEqual([undefined, -Infinity]);
    expect(1 in (back.vars.a as unknown[]) && 0 in (back.vars.a as unknown[])).toBe(true);
    expect(Object.keys(back.vars.o as object)).toEqual(["k", "tricky"]);
    expect(back).toEqual(s);
  });

  it("`let best = -Infinity` compares like JavaScript after a reload", () => {
    const w = workflow([], [block(ret(bin(">", lit(-1), v("best"))), [assign("best", un("-", glob("Infinity"))), sleep(lit(1))])]);
    expect(drive(w, {}, () => okv(0), { roundTrip: true }).state.result).toBe(true);
  });
  it("push onto a non-array and writes into primitives fail like JavaScript", () => {
    expect(runSync(returning(lit(0), [], [assign("s", lit("x")), push("s", arr(lit(1)))])).error).toMatchObject({ name: "TypeError", message: "s.push is not a function" });
    expect(runSync(returning(lit(0), [], [assign("s", lit("abc")), assign("s", lit("x"), 0)])).error)
      .toMatchObject({ name: "TypeError", message: "Cannot assign to read only property '0' of string 'abc'" });
    expect(runSync(returning(lit(0), [], [assign("n", lit(5)), assign("n", lit(1), "x")])).error)
      .toMatchObject({ name: "TypeError", message: "Cannot create property 'x' on number '5'" });
  });
});

describe("sleep", () => {
  const wf = returning(lit("woke"), [], [sleep(lit("5s"))]);
  it("never wakes early", () => {
    let step = advance(wf, start(wf, {}), 1000);
    expect(step.state.wait).toEqual({ kind: "sleep", until: 6000 });
    step = advance(wf, step.state, 5999);
    expect(step.state.status).toBe("waiting");
    step = advance(wf, step.state, 6000);
    expect(step.state.result).toBe("woke");
  });
  it("a bad duration is a catchable TypeError", () => {
    expect(runSync(returning(lit(0), [], [sleep(lit("soon"))])).error).toMatchObject({
      name: "TypeError", message: `invalid sleep duration "soon": expected milliseconds or a string like "250ms", "30s", "5m", "2h", "1d"`,
    });
  });
});

describe("state", () => {
  const wf = workflow(["items"], [
    block(jump(1), [assign("i", lit(0)), assign("acc", arr())]),
    block(branch(bin("<", v("i"), mem(v("items"), "length")), 2, 3)),
    block(jump(1), [
      call("c1", "fetch", [mem(v("items"), v("i"))], "h", { iter: ["i"] }), sleep(lit(100)), awaitOne(v("h"), "r"),
      push("acc", arr(v("r"))), assign("i", bin("+", v("i"), lit(1))),
    ]),
    block(ret(v("acc"))),
  ]);
  const answer = (d: { args: unknown[] }) => okv({ got: d.args[0] });

  it("continuing from a JSON copy at every suspension gives the same run", () => {
    const plain = drive(wf, { items: ["a", "b"] }, answer);
    const copied = drive(wf, { items: ["a", "b"] }, answer, { roundTrip: true });
    expect(copied.state.result).toEqual([{ got: "a" }, { got: "b" }]);
    expect(copied.snapshots).toEqual(plain.snapshots);
    expect(copied.snapshots).toHaveLength(2);
    expect(JSON.parse(copied.snapshots[0])).toMatchObject({ pc: { block: 2, instr: 1 }, wait: { kind: "sleep", until: 100 } });
  });

  it("resolve rejects unknown and already resolved calls; advance rejects another artifact's state", () => {
    const step = advance(wf, start(wf, { items: ["a"] }), 0);
    expect(() => resolve(step.state, "zz", okv(1))).toThrow(new InterpreterError("resolve: no call 'zz' in this workflow"));
    resolve(step.state, "c1@0", okv(1));
    expect(() => resolve(step.state, "c1@0", okv(1))).toThrow(new InterpreterError("resolve: call 'c1@0' was already resolved (ok)"));
    const other = returning(lit(1));
    expect(() => advance(other, step.state, 0)).toThrow(InterpreterError);
  });

  it("an endless loop without waiting is stopped", () => {
    const spin = workflow([], [block(jump(0))]);
    expect(() => advance(spin, start(spin, {}), 0, { maxSteps: 1000 })).toThrow(new InterpreterError("workflow TestWorkflow ran 1000 steps without waiting (an endless loop?)"));
  });
});
