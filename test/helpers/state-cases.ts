/**
 * Workflows that exercise the interpreter's state model: objects shared by
 * reference (aliasing, identity, cycles), numbers and strings JSON or Postgres
 * cannot carry as they are (-0, NaN, undefined, lone surrogates, NUL), user data
 * shaped like the codec's tags, and data 20,000 levels deep. Each holds its value
 * across an action call and a sleep, where the state is saved and reloaded, and
 * returns only what JSON carries, so plain JavaScript, runLocal and a durable run
 * can be compared on their results.
 */

/** The actions every case imports; `echo` returns a copy, as any real action's result is. */
export const STATE_ACTIONS = `import { action } from "cairnjs";
export const echo = action(async function echo(x: unknown): Promise<unknown> { return structuredClone(x); });
export const noop = action(async function noop(): Promise<void> {});
export const specials = action(async function specials(): Promise<any> {
  return { nan: NaN, inf: -Infinity, negz: -0, u: undefined, arr: [undefined, NaN, -0], date: new Date(0) };
});
export const describeArgs = action(async function describeArgs(...args: unknown[]): Promise<unknown> {
  return args.map((a) => (a === undefined ? "undefined" : typeof a === "number" && !Number.isFinite(a) ? String(a) : Object.is(a, -0) ? "-0" : a));
});
export class Oops extends Error {
  code = 7;
}
export const fails = action(async function fails(kind: string): Promise<never> {
  if (kind === "string") throw "nope " + kind;
  if (kind === "object") throw { code: 42, list: [NaN, -0] };
  throw new Oops("oops " + kind);
});
export const withDefault = action(async function withDefault(a: string = "default", b: string = "b"): Promise<string> { return a + "+" + b; });
`;

export interface StateCase {
  name: string;
  /** The workflow module; it imports its actions from "./actions". */
  source: string;
  inputs: Record<string, unknown>[];
}

const module = (body: string) => `import { sleep, workflow } from "cairnjs";
import { describeArgs, echo, fails, noop, Oops, specials, withDefault } from "./actions";
${body}`;

export const STATE_CASES: StateCase[] = [
  {
    name: "groups",
    source: module(`
export const groups = workflow(async function groups(words: string[]) {
  const groups = { short: [] as string[], long: [] as string[] };
  for (const w of words) {
    const bucket = w.length > 3 ? groups.long : groups.short;
    bucket.push(w);
  }
  const later = { short: [] as string[], long: [] as string[] };
  for (const w of words) {
    const bucket = w.length > 3 ? later.long : later.short;
    await noop();
    bucket.push(w);
  }
  return { groups, later };
});
`),
    inputs: [{ words: ["a", "abcd", "xy", "hello"] }, { words: [] }],
  },
  {
    name: "aliases",
    source: module(`
export const aliases = workflow(async function aliases(n: number) {
  const a: number[] = [];
  const b = a;
  b.push(n);
  const before = a === b;
  await noop();
  b.push(n + 1);
  const o = { list: a };
  const p = o;
  p.list.push(3);
  await sleep("5ms");
  a.push(4);
  const c = [...a];
  const found = [[1], a].filter((x) => x === b);
  return {
    a, b, o, before, after: a === b, viaObject: o.list === a, ne: a !== b, copy: c === a, copyNe: c !== a,
    includes: [[0], a].includes(b), indexOf: [[0], b, a].indexOf(a), lastIndexOf: [a, b, [0]].lastIndexOf(a),
    found: found.length, foundSame: found[0] === a, notIncluded: [c].includes(a),
  };
});
`),
    inputs: [{ n: 1 }],
  },
  {
    name: "shared-and-cycles",
    source: module(`
export const sharedAndCycles = workflow(async function sharedAndCycles(k: number) {
  const o = { n: k };
  const xs = [o, o, { n: 0 }];
  xs[0].n++;
  await noop();
  xs[1].n += 10;
  const ring: any = { name: "a" };
  ring.self = ring;
  const other = { name: "b", next: ring };
  ring.next = other;
  const list: any[] = [];
  list.push(list);
  await sleep("5ms");
  other.name = "c";
  return {
    o, n: xs[2].n, same: xs[0] === xs[1], diff: xs[0] === xs[2], selfSame: ring.self === ring,
    cycle: ring.next.next === ring, name: ring.self.next.name, listSelf: list[0] === list, listDeep: list[0][0][0] === list,
  };
});
`),
    inputs: [{ k: 5 }],
  },
  {
    name: "handles",
    source: module(`
export const handles = workflow(async function handles(x: number) {
  const h = echo({ v: x });
  await sleep("5ms");
  const a: any = await h;
  await sleep("5ms");
  const b: any = await h;
  a.v++;
  const all: any[] = await Promise.all([h, h]);
  return { sameValue: a === b, b, allSame: all[0] === a && all[1] === b };
});
`),
    inputs: [{ x: 1 }],
  },
  {
    name: "numbers",
    source: module(`
export const numbers = workflow(async function numbers(k: number) {
  const z = -0 * k;
  const o = { z, list: [z, 0 / 0, undefined, 1 / 0, -1 / 0] };
  await noop();
  const s1 = String(1 / z);
  await sleep("5ms");
  const s3 = o.list.map((x) => String(x));
  return {
    s1, s2: String(1 / o.z), s3, s4: String(1 / (o.list[0] as number)),
    len: o.list.length, has2: 2 in o.list, keys: Object.keys(o), eq: z === 0,
  };
});
`),
    inputs: [{ k: 1 }, { k: -1 }],
  },
  {
    name: "strings",
    source: module(`
export const strings = workflow(async function strings(s: string) {
  const half = "🚀".slice(0, 1);
  const odd = "a" + String.fromCharCode(0xd800) + "b";
  const nul = s + String.fromCharCode(0) + s;
  const o: Record<string, number> = {};
  o[half] = 1;
  o[nul] = 2;
  o["%" + half] = 3;
  const list = [half, odd, nul];
  await noop();
  const codes1 = [half.charCodeAt(0), odd.charCodeAt(1), nul.length];
  await sleep("5ms");
  const keys = Object.keys(o).map((k) => k.length);
  const codes = Object.keys(o).map((k) => k.charCodeAt(k.length - 1));
  const lengths = list.map((x) => x.length);
  return {
    codes1, lengths, c: [half.charCodeAt(0), odd.charCodeAt(1), nul.charCodeAt(s.length)],
    keys, codes, whole: half + String.fromCharCode(0xde80) === "🚀", same: list[2] === nul, values: Object.values(o),
  };
});
`),
    inputs: [{ s: "x" }, { s: "" }],
  },
  {
    name: "collisions",
    source: module(`
export const collisions = workflow(async function collisions(o: any) {
  const made: any = { "%value": "undefined", "%handle": "c1", "%%": "%", "%": 1, tags: [["undefined"], [0], ["handle", "c1"], ["-0"], ["hole"], ["string", "a", 0]] };
  made["%value" + "x"] = ["NaN"];
  const parsed = JSON.parse('{"__proto__": {"admin": true}, "%value": "NaN", "%handle": "c1"}');
  await noop();
  await sleep("5ms");
  return {
    o: JSON.stringify(o), made: JSON.stringify(made), parsed: Object.keys(parsed), admin: parsed.__proto__.admin,
    keys: Object.keys(o), protoKeys: Object.keys(o.__proto__), value: o["%value"], handle: o["%handle"],
  };
});
`),
    inputs: [
      {
        o: JSON.parse(
          '{"%value": "NaN", "%handle": "c1", "%%x": 1, "%": 2, "x%": 3, "__proto__": {"p": 1}, "string": ["string", "a", 55296], "ref": [0], "nan": ["NaN"], "hole": ["hole"], "h": ["handle", "c1"], "a": {"%value": "NaN"}}',
        ),
      },
    ],
  },
  {
    name: "deep",
    source: module(`
export const deep = workflow(async function deep(n: number) {
  let list: any = null;
  for (let i = 0; i < n; i++) list = { v: i, next: list };
  let nest: any = [];
  for (let i = 0; i < n; i++) nest = [nest];
  await noop();
  await sleep("5ms");
  let count = 0;
  let sum = 0;
  for (let p = list; p !== null; p = p.next) {
    count++;
    sum += p.v;
  }
  let depth = 0;
  for (let q = nest; q.length > 0; q = q[0]) depth++;
  return { count, sum, depth };
});
`),
    inputs: [{ n: 20_000 }],
  },
  {
    // What a catch binds is the thrown value itself, the same one at every await of the
    // handle, held (and changed) across a sleep and an action call.
    name: "errors",
    source: module(`
export const errors = workflow(async function errors(kind: string) {
  const h = fails(kind);
  let first: any;
  try {
    await h;
  } catch (e) {
    first = e;
  }
  await sleep("5ms");
  let second: any;
  try {
    await h;
  } catch (e) {
    second = e;
  }
  const settled: any[] = await Promise.allSettled([h]);
  if (typeof first === "object") first.seen = true;
  await noop();
  return {
    same: first === second, settledSame: settled[0].reason === first, type: typeof second, keys: Object.keys(second),
    json: JSON.stringify(second), text: String(second), isError: second instanceof Error, isOops: second instanceof Oops,
    name: second.name ?? null, hidden: typeof second === "object" ? "ancestry" in second : null, spread: { ...second },
  };
});
`),
    inputs: [{ kind: "error" }, { kind: "string" }, { kind: "object" }],
  },
  {
    // Values crossing to and from actions: what a plain call passes and returns.
    name: "boundary",
    source: module(`
export const boundary = workflow(async function boundary(x: number) {
  const s = await specials();
  const seen = [Number.isNaN(s.nan), s.inf === -Infinity, 1 / s.negz === -Infinity, "u" in s, s.u === undefined, s.arr.length,
    s.arr[0] === undefined, 0 in s.arr, Number.isNaN(s.arr[1]), 1 / s.arr[2] === -Infinity, s.date];
  const defaulted = [await withDefault(undefined, "x"), await withDefault("a"), await withDefault(undefined, undefined)];
  const args = await describeArgs(undefined, NaN, -0, x / 0, [undefined, -0], { u: undefined, n: NaN });
  const back = await echo({ negz: -0, nan: NaN, u: undefined });
  await sleep("5ms");
  return { seen, defaulted, args, back: [1 / back.negz === -Infinity, Number.isNaN(back.nan), "u" in back, 1 / back.negz] };
});
`),
    inputs: [{ x: 1 }, { x: -1 }],
  },
];
