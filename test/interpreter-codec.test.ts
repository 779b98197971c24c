/**
 * The state codec (runtime/interpreter/codec.ts, heap-codec.ts) and the boundary
 * copy (copy.ts): sharing, cycles, special numbers, odd strings, user data shaped
 * like tags and very deep data survive stateToJson → JSON text → stateFromJson, and
 * the JSON is flat and holds only text Postgres accepts.
 */
import { describe, expect, it } from "vitest";
import { stateFromJson, stateToJson, type State } from "../runtime/interpreter/index.ts";
import { copyValue } from "../runtime/interpreter/copy.ts";
import { ErrorObject, Handle, findHandle, visitObjects } from "../runtime/interpreter/values.ts";
import { newErrorObject } from "../runtime/interpreter/errors.ts";

const stateWith = (vars: Record<string, unknown>, extra: Partial<State> = {}): State => ({
  v: 3, workflow: "w", hash: "h", status: "waiting", pc: { block: 0, instr: 0 }, vars, calls: {}, resolved: 0, wait: null, ...extra,
});

/** What a durable step does: encode, write as text, read back, decode. */
const reload = (s: State): State => stateFromJson(JSON.parse(JSON.stringify(stateToJson(s))));
const text = (s: State): string => JSON.stringify(stateToJson(s));

/** Deepest nesting of arrays and objects in a JSON value, without recursion. */
function jsonDepth(root: unknown): number {
  let max = 0;
  const todo: Array<[unknown, number]> = [[root, 0]];
  while (todo.length > 0) {
    const [v, d] = todo.pop()!;
    if (typeof v !== "object" || v === null) continue;
    max = Math.max(max, d + 1);
    for (const child of Object.values(v)) todo.push([child, d + 1]);
  }
  return max;
}

describe("sharing and cycles", () => {
  it("objects shared between variables, properties and array slots stay one object", () => {
    const a = [1];
    const o = { x: a, y: a, list: [a, a] };
    const s = stateWith({ a, b: a, o });
    expect(stateToJson(s)).toMatchObject({ vars: { a: [0], b: [0], o: [1] }, heap: [[1], { x: [0], y: [0], list: [2] }, [[0], [0]]] });
    const back = reload(s);
    const v = back.vars as { a: number[]; b: number[]; o: { x: number[]; y: number[]; list: number[][] } };
    expect(v.a).toBe(v.b);
    expect(v.o.x).toBe(v.a);
    expect(v.o.list[1]).toBe(v.a);
    v.b.push(2);
    expect(v.o.y).toEqual([1, 2]);
  });

  it("cycles survive", () => {
    const ring: Record<string, unknown> = { name: "a" };
    ring.self = ring;
    ring.next = { back: ring };
    const list: unknown[] = [];
    list.push(list, 1);
    const back = reload(stateWith({ ring, list }));
    const r = back.vars.ring as { self: unknown; next: { back: unknown } };
    expect(r.self).toBe(r);
    expect(r.next.back).toBe(r);
    const l = back.vars.list as unknown[];
    expect(l[0]).toBe(l);
    expect(l[1]).toBe(1);
  });

  it("a call's value stays the very object a variable holds; one handle per call id", () => {
    const value = { big: [1, 2] };
    const h = new Handle("c1@0");
    const s = stateWith({ h, again: [h, h], r: value }, {
      calls: { "c1@0": { action: "a", args: [value], options: {}, status: "ok", seq: 1, value } },
    });
    const back = reload(s);
    expect(back.vars.h).toBeInstanceOf(Handle);
    expect((back.vars.h as Handle).callId).toBe("c1@0");
    expect((back.vars.again as unknown[])[1]).toBe(back.vars.h);
    expect(back.calls["c1@0"].value).toBe(back.vars.r);
    expect(back.calls["c1@0"].args[0]).toBe(back.vars.r);
  });

  it("only what the state reaches is written", () => {
    const garbage = { lots: "of data" };
    const kept = { n: 1 };
    const json = stateToJson(stateWith({ kept })) as { heap: unknown[] };
    expect(json.heap).toEqual([{ n: 1 }]);
    expect(JSON.stringify(json)).not.toContain(garbage.lots);
  });

  it("the decoded state shares nothing with the JSON it came from", () => {
    const json = JSON.parse(text(stateWith({ a: [1, { b: 2 }] }, { wait: { kind: "calls", mode: "one", pending: { c1: true }, ready: false } })));
    const first = stateFromJson(json);
    (first.vars.a as unknown[]).push(3);
    ((first.vars.a as unknown[])[1] as Record<string, number>).b = 9;
    first.pc.instr = 7;
    delete (first.wait as { pending: Record<string, true> }).pending.c1;
    const second = stateFromJson(json);
    expect(second.vars.a).toEqual([1, { b: 2 }]);
    expect(second.pc.instr).toBe(0);
    expect(second.wait).toEqual({ kind: "calls", mode: "one", pending: { c1: true }, ready: false });
  });
});

describe("numbers, undefined and holes", () => {
  it("-0, NaN, ±Infinity and nested undefined survive, with their exact encoding", () => {
    const s = stateWith({ z: -0, n: NaN, list: [-0, 0, NaN, Infinity, -Infinity, undefined, 1.5], o: { u: undefined, z: -0 } });
    expect(stateToJson(s)).toMatchObject({
      vars: { z: ["-0"], n: ["NaN"], list: [0], o: [1] },
      heap: [[["-0"], 0, ["NaN"], ["Infinity"], ["-Infinity"], ["undefined"], 1.5], { u: ["undefined"], z: ["-0"] }],
    });
    const back = reload(s);
    expect(Object.is(back.vars.z, -0)).toBe(true);
    expect(back.vars.n).toBeNaN();
    const list = back.vars.list as unknown[];
    expect(Object.is(list[0], -0)).toBe(true);
    expect(Object.is(list[1], 0)).toBe(true);
    expect(list.slice(2)).toEqual([NaN, Infinity, -Infinity, undefined, 1.5]);
    expect(5 in list).toBe(true);
    expect(Object.keys(back.vars.o as object)).toEqual(["u", "z"]);
    expect(Object.is((back.vars.o as { z: number }).z, -0)).toBe(true);
  });

  it("holes stay holes, trailing ones too", () => {
    const a: unknown[] = [1];
    a[3] = 4;
    a.length = 6;
    const back = reload(stateWith({ a })).vars.a as unknown[];
    expect(back.length).toBe(6);
    expect([0, 1, 2, 3, 4, 5].map((i) => i in back)).toEqual([true, false, false, true, false, false]);
    expect(back[3]).toBe(4);
  });
});

describe("strings", () => {
  const half = "🚀".slice(0, 1);
  const low = "🚀".slice(1);
  const odd = ["a\ud800b", half, low + half, "\u0000", "x\u0000y", "🚀" + half + "🚀", low + "🚀"];

  it("strings with lone surrogates or NUL round-trip exactly and are written as text Postgres accepts", () => {
    const keys: Record<string, number> = {};
    odd.forEach((k, i) => (keys[k] = i));
    keys["%" + half] = 99;
    const s = stateWith({ odd, one: half, keys, fine: "é🚀\u0001" });
    const t = text(s);
    expect(t).not.toMatch(/\\u0000|\\ud[89a-f][0-9a-f]{2}/i);
    expect(stateToJson(s)).toMatchObject({ vars: { one: ["string", 0xd83d], fine: "é🚀\u0001" } });
    expect((stateToJson(s) as { heap: unknown[] }).heap[0]).toEqual([
      ["string", "a", 0xd800, "b"], ["string", 0xd83d], ["string", 0xde80, 0xd83d], ["string", 0], ["string", "x", 0, "y"],
      ["string", "🚀", 0xd83d, "🚀"], ["string", 0xde80, "🚀"],
    ]);
    const back = reload(s);
    expect(back.vars.odd).toEqual(odd);
    expect(back.vars.one).toBe(half);
    expect(Object.keys(back.vars.keys as object)).toEqual(Object.keys(keys));
    expect(back.vars.keys).toEqual(keys);
  });
});

describe("user data never reads back as codec syntax", () => {
  it("keys starting with %, tag-shaped objects and arrays, __proto__", () => {
    const user = JSON.parse(
      '{"%value": "NaN", "%handle": "c1", "%%x": 1, "%": 2, "x%": 3, "%[55296]": 4, "__proto__": {"p": 1}, ' +
        '"a": {"%value": "undefined"}, "t": [["NaN"], [0], ["-0"], ["hole"], ["undefined"], ["string", "a", 0], ["handle", "c1"]], "n": [0]}',
    );
    const s = stateWith({ user, arr: [["NaN"], [0]] }, { calls: { c1: { action: "a", args: [], options: {}, status: "pending" } } });
    const json = stateToJson(s) as { heap: Record<string, unknown>[] };
    expect(Object.keys(json.heap[0])).toEqual(["%%value", "%%handle", "%%%x", "%%", "x%", "%%[55296]", "__proto__", "a", "t", "n"]);
    const back = reload(s);
    expect(back.vars).toEqual(s.vars);
    const u = back.vars.user as Record<string, unknown>;
    expect(Object.keys(u)).toEqual(Object.keys(user));
    expect(Object.getPrototypeOf(u)).toBe(Object.prototype);
    expect(Object.prototype.hasOwnProperty.call(u, "__proto__")).toBe(true);
    expect(u.__proto__).toEqual({ p: 1 });
    expect(u.a).toEqual({ "%value": "undefined" });
    expect(findHandle(back.vars)).toBeUndefined();
  });
});

describe("deep data", () => {
  const DEPTH = 20_000;
  const deepList = () => {
    let list: unknown = null;
    for (let i = 0; i < DEPTH; i++) list = { v: i, next: list };
    return list;
  };
  const deepArray = () => {
    let a: unknown[] = [];
    for (let i = 0; i < DEPTH; i++) a = [a];
    return a;
  };

  it(`${DEPTH} levels of objects and arrays go through the codec and JSON text, which stays flat`, () => {
    const s = stateWith({ list: deepList(), nest: deepArray() });
    const json = stateToJson(s);
    expect(jsonDepth(json)).toBeLessThanOrEqual(5);
    const back = reload(s);
    let count = 0;
    for (let p = back.vars.list as { next: unknown } | null; p !== null; p = p.next as { next: unknown } | null) count++;
    let depth = 0;
    for (let q = back.vars.nest as unknown[]; q.length > 0; q = q[0] as unknown[]) depth++;
    expect([count, depth]).toEqual([DEPTH, DEPTH]);
  });

  it(`copies, handle searches and the reachability walk of the calls' compaction go ${DEPTH} levels without recursion`, () => {
    const list = deepList() as { v: number; next: unknown };
    const copy = copyValue(list);
    expect(copy === list).toBe(false);
    let p: { v: number; next: unknown } | null = copy;
    let n = 0;
    while (p) {
      n++;
      p = p.next as typeof p;
    }
    expect(n).toBe(DEPTH);
    let nest: unknown[] = [new Handle("c9")];
    for (let i = 0; i < DEPTH; i++) nest = [nest];
    expect(findHandle(nest)).toBe("c9");
    let objects = 0;
    visitObjects([nest, list], () => void objects++);
    expect(objects).toBe(2 * DEPTH + 2);
  });
});

describe("copyValue (the boundary copy)", () => {
  it("copies deeply, keeps sharing, cycles, -0, undefined and holes, and makes handles plain objects", () => {
    const shared = { n: -0 };
    const cyc: Record<string, unknown> = { shared, list: [shared, undefined, NaN] };
    cyc.self = cyc;
    (cyc.list as unknown[]).length = 4;
    const c = copyValue(cyc) as typeof cyc & { list: unknown[]; shared: { n: number } };
    expect(c).not.toBe(cyc);
    expect(c.self).toBe(c);
    expect(c.list[0]).toBe(c.shared);
    expect(c.shared).not.toBe(shared);
    expect(Object.is(c.shared.n, -0)).toBe(true);
    expect(1 in c.list && !(3 in c.list) && c.list.length === 4).toBe(true);
    expect(c.list[2]).toBeNaN();
    expect(copyValue({ h: new Handle("c1") })).toEqual({ h: {} });
  });
});

describe("format version 1", () => {
  it("a state saved in the old inline format still loads", () => {
    const v1 = {
      v: 1, workflow: "w", hash: "h", status: "waiting", pc: { block: 1, instr: 2 }, resolved: 2,
      vars: { n: { "%value": "NaN" }, h: { "%handle": "c2" }, fake: { "%handle": "c1" }, list: [{ "%value": "undefined" }, 1], u: { "%value": "other" } },
      calls: {
        c1: { action: "a", status: "ok", seq: 1 },
        c2: { action: "a", args: [1], options: {}, status: "ok", seq: 2, value: { x: 1 } },
        c3: { action: "b", args: [], options: {}, status: "pending" },
      },
      wait: { kind: "calls", mode: "one", pending: { c3: true }, ready: false },
    };
    const s = stateFromJson(JSON.parse(JSON.stringify(v1)));
    expect(s.v).toBe(3);
    expect(s.vars.n).toBeNaN();
    expect(s.vars.h).toBeInstanceOf(Handle);
    expect(s.vars.fake).toEqual({ "%handle": "c1" });
    expect(s.vars.list).toEqual([undefined, 1]);
    expect(s.vars.u).toEqual({ "%value": "other" });
    expect(Object.keys(s.calls)).toEqual(["c2", "c3"]);
    expect(s.calls.c2.value).toEqual({ x: 1 });
    expect(s.wait).toEqual(v1.wait);
    expect(reload(s)).toEqual(s);
  });
});

describe("errors the workflow holds", () => {
  const describeError = (e: unknown) => {
    const o = e as ErrorObject;
    return {
      isError: o instanceof ErrorObject, inherited: o.inheritedName, ancestry: o.ancestry, keys: Object.keys(o), own: Object.getOwnPropertyNames(o),
      message: (o as unknown as { message: unknown }).message, json: JSON.stringify(o),
    };
  };

  it("an ErrorObject keeps identity, hidden class chain, non-enumerable message and own data, odd strings included", () => {
    const e = newErrorObject("TypeError", "bad \ud800 key");
    Object.assign(e, { code: 7, "%x": ["y"] });
    const s = stateWith({}, { calls: { c1: { action: "a", args: [], options: {}, status: "failed", error: e, seq: 1 } }, vars: { e, list: [e, e], h: new Handle("c1") } });
    expect(stateToJson(s)).toMatchObject({
      v: 3,
      heap: [{ "%error": { name: "TypeError", ancestry: ["TypeError", "Error"], hidden: { message: ["string", "bad ", 55296, " key"] } }, code: 7, "%%x": [4] }, [[0], [0]], [], {}, ["y"]],
    });
    const back = reload(s);
    const be = back.vars.e;
    expect(describeError(be)).toEqual(describeError(e));
    expect(describeError(be)).toMatchObject({ isError: true, keys: ["code", "%x"], own: ["message", "code", "%x"], json: '{"code":7,"%x":["y"]}' });
    expect((back.vars.list as unknown[])[1]).toBe(be);
    expect(back.calls.c1.error).toBe(be);
    expect(reload(back)).toEqual(back);
  });

  it("an ErrorObject's hidden stack (errors.ts STACK_KEY) is written in its header only when it has one, and read back", () => {
    const e = new ErrorObject("Error", ["Error"], "at boom (/src/a.ts:1:2)\nat lone \ud800");
    const plain = newErrorObject("Error", "m");
    const json = stateToJson(stateWith({ e, plain })) as { heap: Array<Record<string, unknown>> };
    expect(json.heap.map((entry) => entry["%error"])).toEqual([
      { name: "Error", ancestry: ["Error"], hidden: {}, stack: ["string", "at boom (/src/a.ts:1:2)\nat lone ", 55296] },
      { name: "Error", ancestry: ["Error"], hidden: { message: "m" } },
    ]);
    const back = reload(stateWith({ e, plain }));
    expect([(back.vars.e as ErrorObject).hiddenStack, (back.vars.plain as ErrorObject).hiddenStack]).toEqual([e.hiddenStack, undefined]);
    expect(describeError(back.vars.e)).toEqual(describeError(e));
  });

  it("a user object keyed %error is data", () => {
    const back = reload(stateWith({ o: { "%error": { name: "X", ancestry: [], hidden: {} } } }));
    expect(back.vars.o).toEqual({ "%error": { name: "X", ancestry: [], hidden: {} } });
    expect(back.vars.o).not.toBeInstanceOf(ErrorObject);
  });

  it("a version 2 state's plain-object errors become ErrorObjects, shared where they were shared", () => {
    const v2 = {
      v: 2, workflow: "w", hash: "h", status: "waiting", pc: { block: 1, instr: 0 }, resolved: 1, wait: { kind: "sleep", until: 5 },
      vars: { err: [0], box: [2], h: ["handle", "c1"], data: [3] },
      calls: { c1: { action: "a", status: "failed", seq: 1, args: [4], options: [5], error: [0] } },
      heap: [{ name: "Boom", message: "m", ancestry: [1], code: 7 }, ["Boom", "Error"], { e: [0] }, { name: 1, message: "not an error" }, [], {}],
    };
    const s = stateFromJson(JSON.parse(JSON.stringify(v2)));
    expect(s.v).toBe(3);
    expect(describeError(s.vars.err)).toMatchObject({ isError: true, inherited: "Boom", ancestry: ["Boom", "Error"], keys: ["code"], message: "m" });
    expect((s.vars.box as { e: unknown }).e).toBe(s.vars.err);
    expect(s.calls.c1.error).toBe(s.vars.err);
    expect(s.vars.data).toEqual({ name: 1, message: "not an error" });
  });
});
