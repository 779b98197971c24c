/**
 * The payload rules: what may cross between a workflow and the world (input, action
 * arguments, action results, the workflow's result, errors, messages). One checker
 * for all of them, so a payload fails the same way, in the same words, in
 * `runLocal`, in a worker and at the client.
 *
 * A payload is JSON data plus the values JavaScript code commonly holds that JSON
 * would silently change: NaN, ±Infinity, -0 and `undefined` (as a property, an
 * array element or an argument) cross unchanged, so the value an action or a
 * workflow receives is the one it would receive in a plain call. Refused, with a
 * PayloadError naming the place: functions, symbols, BigInt, circular references,
 * strings with an unpaired surrogate or a NUL character (Postgres cannot store
 * either in JSON text), nesting deeper than MAX_DEPTH, and more than the size limit.
 * Objects cross as JSON carries them: `toJSON` is honoured (a Date becomes its ISO
 * string) and only own enumerable string-keyed properties are kept.
 */
import type { Json } from "../ir-schema/index.ts";

/** A value that cannot cross the database. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/** Deepest nesting of arrays and objects a payload may have. */
export const MAX_DEPTH = 1000;

type Key = string | number;

/** A path such as `result.items[2]["a b"]`; a very deep one keeps its two ends. */
export function pathOf(root: string, keys: readonly Key[]): string {
  const step = (k: Key) => (typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`);
  if (keys.length > 12) return `${root}${keys.slice(0, 4).map(step).join("")}…(${keys.length - 8} more)…${keys.slice(-4).map(step).join("")}`;
  return root + keys.map(step).join("");
}

/** Why a string cannot be stored, or undefined when it can. */
export function stringProblem(s: string): string | undefined {
  // String.prototype.isWellFormed (Node 20) is newer than the TypeScript lib we target.
  if (!(s as unknown as { isWellFormed(): boolean }).isWellFormed()) return "a lone surrogate";
  if (s.includes("\u0000")) return "a NUL character (\\u0000)";
  return undefined;
}

interface Problem {
  /** json: JSON cannot hold it; string: Postgres cannot store the string; depth: MAX_DEPTH; read: reading it threw. */
  kind: "json" | "string" | "depth" | "read";
  detail: string;
}
type Fail = (problem: Problem, keys: readonly Key[]) => never;

function problemText(what: string, p: Problem, path: string, atRoot: boolean): string {
  switch (p.kind) {
    case "json":
      return atRoot ? `${what} is not JSON: it is ${p.detail}` : `${what} is not JSON: it contains ${p.detail} at ${path}`;
    case "string":
      return `${what} has ${p.detail} at ${path}`;
    case "depth":
      return `${what} is nested deeper than ${MAX_DEPTH} levels at ${path}`;
    case "read":
      return `${what} cannot be read at ${path}: ${p.detail}`;
  }
}

interface Frame {
  /** The source object's own keys (null for an array, whose indices are copied). */
  keys: string[] | null;
  source: unknown;
  target: unknown[] | Record<string, unknown>;
  next: number;
  /** This container's key in its parent (the stack holds exactly the ancestors of what is being copied). */
  key: Key;
}

/**
 * Validates `value` and returns a deep copy of it under the payload rules (see the
 * file's comment), or throws a PayloadError: `what` names the value ("result of
 * action 'x'"), `root` starts the path to the offending part ("result" gives
 * `result.items[2].f`). Iterative: nesting costs heap, not stack.
 */
export function checkPayload(value: unknown, what: string, root: string, maxBytes = Infinity): unknown {
  const fail: Fail = (problem, keys) => {
    throw new PayloadError(problemText(what, problem, pathOf(root, keys), keys.length === 0));
  };
  const onStack = new Set<object>();
  const stack: Frame[] = [];
  // Paths are built only for a message: the stack is the chain of ancestors.
  const pathTo = (key: Key | null): Key[] => {
    const keys = stack.slice(1).map((f) => f.key);
    return key === null ? keys : [...keys, key];
  };
  /** The copy of one value (at `key` of the top frame); containers are pushed to be filled next. */
  // An upper bound of the stored JSON's size, kept on the way: the exact size (one
  // more encode and stringify) is only measured when the bound passes the limit.
  let bound = 0;
  const copy = (v: unknown, key: Key | null): unknown => {
    const at = () => pathTo(key);
    v = jsonView(v, key, at, fail);
    switch (typeof v) {
      case "string": {
        const p = stringProblem(v);
        // At most 6 bytes per UTF-16 unit (a \uXXXX escape; UTF-8 takes at most 3), the quotes, a comma.
        bound += 6 * v.length + 3;
        return p === undefined ? v : fail({ kind: "string", detail: p }, at());
      }
      case "number":
      case "boolean":
      case "undefined":
        bound += 25; // the longest: {"%":"-Infinity"}, or a number's 24 characters, and a comma
        return v;
      case "function":
      case "symbol":
      case "bigint":
        return fail({ kind: "json", detail: `a ${typeof v}` }, at());
    }
    bound += 5;
    if (v === null) return null;
    if (onStack.has(v as object)) return fail({ kind: "json", detail: "a circular reference" }, at());
    if (stack.length >= MAX_DEPTH) return fail({ kind: "depth", detail: "" }, at());
    onStack.add(v as object);
    const isArray = Array.isArray(v);
    const target = isArray ? new Array<unknown>((v as unknown[]).length) : {};
    const keys = isArray ? null : Object.keys(v as object);
    stack.push({ keys, source: v, target, next: 0, key: key ?? "" });
    return target;
  };
  const out = copy(value, null);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    const length = f.keys === null ? (f.source as unknown[]).length : f.keys.length;
    if (f.next >= length) {
      onStack.delete(f.source as object);
      stack.pop();
      continue;
    }
    const i = f.next++;
    if (f.keys === null) {
      (f.target as unknown[])[i] = copy((f.source as unknown[])[i], i);
    } else {
      const key = f.keys[i];
      bound += 6 * key.length + 4; // quotes, colon, and a % more for a key of % only
      const p = stringProblem(key);
      if (p !== undefined) fail({ kind: "string", detail: `${p} in a property name` }, pathTo(key));
      const item = readProperty(f.source as object, key, () => pathTo(key), fail);
      // JSON drops a property whose value is a function or symbol; we refuse it instead.
      defineData(f.target as Record<string, unknown>, key, copy(item, key));
    }
  }
  if (bound > maxBytes) {
    const bytes = Buffer.byteLength(JSON.stringify(encodeWire(out)) ?? "");
    // "arguments of action 'x'" is the one plural `what`.
    if (bytes > maxBytes) throw new PayloadError(`${what} ${what.startsWith("arguments") ? "are" : "is"} ${bytes} bytes of JSON, over the limit of ${maxBytes}`);
  }
  return out;
}

/** The arguments of one dispatched call, checked like any payload (the place named by action and call). */
export function checkArgs(action: string, callId: string, args: readonly unknown[], maxBytes = Infinity): unknown[] {
  return checkPayload(args, `arguments of action '${action}' (call '${callId}')`, "args", maxBytes) as unknown[];
}

/** A workflow's return value, checked like any payload. */
export function checkResultOf(workflow: string, value: unknown, maxBytes = Infinity): unknown {
  return checkPayload(value, `result of workflow ${workflow}`, "result", maxBytes);
}

/** What JSON would carry for `v`: the result of its `toJSON`, if it has one. */
function jsonView(v: unknown, key: Key | null, at: () => Key[], fail: Fail): unknown {
  if (typeof v !== "object" || v === null) return v;
  try {
    const toJSON = (v as { toJSON?: unknown }).toJSON;
    return typeof toJSON === "function" ? toJSON.call(v, key === null ? "" : String(key)) : v;
  } catch (err) {
    return fail({ kind: "read", detail: `its toJSON threw ${messageOf(err)}` }, at());
  }
}

function readProperty(obj: object, key: string, at: () => Key[], fail: Fail): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch (err) {
    return fail({ kind: "read", detail: `reading it threw ${messageOf(err)}` }, at());
  }
}

function messageOf(err: unknown): string {
  try {
    return err instanceof Error ? err.message : String(err);
  } catch {
    return "unprintable";
  }
}

/** An own data property, even for a key such as `__proto__`. */
function defineData(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/**
 * Stored form of a checked payload: plain JSON in which NaN, ±Infinity, -0 and
 * `undefined` are `{"%": "NaN"}` (and so on). A user key made only of `%`
 * characters gets one more on the way in and loses it on the way out, so user data
 * never reads back as a tag. Iterative, like checkPayload.
 */
export function encodeWire(value: unknown): Json {
  return mapTree(value, encodeLeaf, (k) => (isPercentKey(k) ? `${k}%` : k)) as Json;
}

/** Inverse of `encodeWire`. */
export function decodeWire(json: unknown): unknown {
  return mapTree(json, decodeLeaf, (k) => (isPercentKey(k) ? k.slice(1) : k), decodeTag);
}

const TAG = "%";
const SPECIAL: Record<string, unknown> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0, undefined };
const isPercentKey = (k: string) => k.length > 0 && /^%+$/.test(k);

function encodeLeaf(v: unknown): unknown {
  if (typeof v === "number") return Number.isFinite(v) && !Object.is(v, -0) ? v : tag(Object.is(v, -0) ? "-0" : String(v));
  return v === undefined ? tag("undefined") : v;
}
const decodeLeaf = (v: unknown) => v;

function tag(name: string): Record<string, string> {
  return { [TAG]: name };
}

/** A tag object's value, or the `NOT_TAG` marker. */
const NOT_TAG = Symbol("not a tag");
function decodeTag(obj: Record<string, unknown>): unknown {
  let count = 0;
  for (const _ in obj) if (++count > 1) return NOT_TAG;
  const name = count === 1 ? obj[TAG] : undefined;
  return typeof name === "string" && Object.prototype.hasOwnProperty.call(SPECIAL, name) ? SPECIAL[name] : NOT_TAG;
}

/**
 * Copies a tree of plain arrays and objects, mapping leaves and keys; `asLeaf`
 * may turn a whole object into a leaf value (a tag). No recursion.
 */
function mapTree(
  root: unknown, leaf: (v: unknown) => unknown, key: (k: string) => string, asLeaf?: (o: Record<string, unknown>) => unknown,
): unknown {
  const one = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return leaf(v);
    if (asLeaf && !Array.isArray(v)) {
      const t = asLeaf(v as Record<string, unknown>);
      if (t !== NOT_TAG) return t;
    }
    const target: unknown[] | Record<string, unknown> = Array.isArray(v) ? new Array<unknown>(v.length) : {};
    work.push([v, target]);
    return target;
  };
  const work: Array<[unknown, unknown[] | Record<string, unknown>]> = [];
  const out = one(root);
  while (work.length > 0) {
    const [source, target] = work.pop()!;
    if (Array.isArray(source)) {
      for (let i = 0; i < source.length; i++) (target as unknown[])[i] = one(source[i]);
    } else {
      for (const k of Object.keys(source as object)) defineData(target as Record<string, unknown>, key(k), one((source as Record<string, unknown>)[k]));
    }
  }
  return out;
}
