import type { Json } from "../../ir-schema/index.ts";
import { InterpreterError } from "./errors.ts";
import { ErrorObject, Handle, hasOwn, setOwn } from "./values.ts";

/**
 * Values of workflow state as JSON, graph and all.
 *
 * Every object and array reachable from the encoded roots becomes one entry of a
 * flat `heap` table, numbered in the order the walk first meets it, and every place
 * that holds it holds a reference to the entry. So sharing and cycles survive, only
 * what is reachable is written (unreachable objects are collected for free), and the
 * JSON is never more than a few levels deep whatever the depth of the data: V8's
 * JSON.stringify overflows its stack near 5,000 levels and Postgres limits the
 * depth of json it parses.
 *
 * An encoded value is a JSON primitive standing for itself, or a tag, which is
 * always a JSON array (user arrays and objects only ever appear as heap entries,
 * so no user data can look like a tag):
 *
 *   [3]                      a reference to heap entry 3
 *   ["undefined"] ["NaN"] ["Infinity"] ["-Infinity"] ["-0"]
 *   ["hole"]                 a missing array element (array entries only)
 *   ["string", "ab", 55296]  a string Postgres cannot hold as json text (one with a
 *                            lone surrogate or U+0000): well-formed runs as strings,
 *                            the other UTF-16 code units as numbers
 *   ["handle", "c3@2"]       the handle of an un-awaited call
 *
 * A heap entry is a JSON array (a user array, element by element) or a JSON object
 * (a user object, in key order). Keys starting with `%` are written with one more
 * `%` in front; a key that is not a well-formed string without U+0000 is written as
 * `%` followed by the JSON text of its parts as above, e.g. `%["a",55296]`.
 *
 * An error the workflow holds (an ErrorObject) is an object entry whose first key
 * is `%error` (no user key can be: it would be `%%error`), then its own enumerable
 * properties as for any object:
 *
 *   { "%error": { "name": "TypeError", "ancestry": ["TypeError", "Error"],
 *                 "hidden": { "message": "x is not a function" } }, "code": 7 }
 *
 * `name` is the name its prototype chain gives, `ancestry` its class chain,
 * `hidden` its own non-enumerable properties (a `message`), all as encoded values,
 * and, only when it has one, `stack`: the stack it was caught with (a string).
 */

const SPECIAL: Readonly<Record<string, unknown>> = { undefined, NaN, Infinity, "-Infinity": -Infinity, "-0": -0 };
const PERCENT = 37;
/** The key marking an error's heap entry. */
const ERROR = "%error";

/** Strings json text in Postgres cannot carry: a lone surrogate escape, or `\u0000`. */
function isOdd(s: string): boolean {
  return !(s as unknown as { isWellFormed(): boolean }).isWellFormed() || s.includes("\0");
}

/** Well-formed runs without U+0000 as strings, the other code units as numbers. */
function stringParts(s: string): Json[] {
  const parts: Json[] = [];
  let run = "";
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const pair = c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00;
    if (pair) {
      run += s[i] + s[i + 1];
      i++;
    } else if (c === 0 || (c >= 0xd800 && c <= 0xdfff)) {
      if (run) parts.push(run);
      run = "";
      parts.push(c);
    } else {
      run += s[i];
    }
  }
  if (run) parts.push(run);
  return parts;
}

function joinParts(parts: readonly Json[], from: number): string {
  let s = "";
  for (let i = from; i < parts.length; i++) {
    const p = parts[i];
    if (typeof p === "string") s += p;
    else if (typeof p === "number" && Number.isInteger(p) && p >= 0 && p <= 0xffff) s += String.fromCharCode(p);
    else throw new InterpreterError(`state: bad string part ${JSON.stringify(p)}`);
  }
  return s;
}

function encodeKey(key: string): string {
  // Odd first: a key both odd and starting with % must still become valid text.
  if (isOdd(key)) return "%" + JSON.stringify(stringParts(key));
  return key.charCodeAt(0) === PERCENT ? "%" + key : key;
}

function decodeKey(key: string): string {
  if (key.charCodeAt(0) !== PERCENT) return key;
  if (key.charCodeAt(1) === PERCENT) return key.slice(1);
  const parts: unknown = JSON.parse(key.slice(1));
  if (!Array.isArray(parts)) throw new InterpreterError(`state: bad key ${JSON.stringify(key)}`);
  return joinParts(parts as Json[], 0);
}

/** Encodes values into one shared heap table: `value()` for each root, then `finish()`. */
export class HeapWriter {
  private readonly ids = new Map<object, number>();
  private readonly sources: object[] = [];

  value(v: unknown): Json {
    switch (typeof v) {
      case "string":
        return isOdd(v) ? ["string", ...stringParts(v)] : v;
      case "number":
        if (v === 0) return Object.is(v, -0) ? ["-0"] : 0;
        return Number.isFinite(v) ? v : [String(v)];
      case "boolean":
        return v;
      case "undefined":
        return ["undefined"];
      case "object":
        if (v === null) return null;
        if (v instanceof Handle) return ["handle", v.callId];
        return [this.ref(v)];
      default:
        throw new InterpreterError(`a ${typeof v} cannot be kept in workflow state`);
    }
  }

  private ref(o: object): number {
    let id = this.ids.get(o);
    if (id === undefined) {
      id = this.sources.length;
      this.ids.set(o, id);
      this.sources.push(o);
    }
    return id;
  }

  /** The heap table: every entry referenced so far and everything they reach, breadth first. */
  finish(): Json[] {
    const heap: Json[] = [];
    // `sources` grows while entries are encoded; the loop runs until it stops growing.
    for (let i = 0; i < this.sources.length; i++) {
      const source = this.sources[i];
      if (Array.isArray(source)) {
        // Built by push: a packed array, which V8 stringifies fastest.
        const out: Json[] = [];
        for (let j = 0; j < source.length; j++) {
          const v: unknown = source[j];
          out.push(v === undefined && !(j in source) ? ["hole"] : this.value(v));
        }
        heap.push(out);
      } else {
        const out: Record<string, Json> = {};
        if (source instanceof ErrorObject) out[ERROR] = this.errorHeader(source);
        for (const key of Object.keys(source)) setOwn(out, encodeKey(key), this.value((source as Record<string, unknown>)[key]));
        heap.push(out);
      }
    }
    return heap;
  }

  private errorHeader(error: ErrorObject): Json {
    const hidden: Record<string, Json> = {};
    for (const key of Object.getOwnPropertyNames(error)) {
      if (!Object.prototype.propertyIsEnumerable.call(error, key)) setOwn(hidden, encodeKey(key), this.value((error as unknown as Record<string, unknown>)[key]));
    }
    const header: Record<string, Json> = { name: this.value(error.inheritedName), ancestry: error.ancestry.map((a) => this.value(a)), hidden };
    if (error.hiddenStack !== undefined) header.stack = this.value(error.hiddenStack);
    return header;
  }
}

const isErrorEntry = (e: Json): e is Record<string, Json> => typeof e === "object" && e !== null && !Array.isArray(e) && hasOwn(e, ERROR);

/** Decodes values against a heap table written by `HeapWriter`. Every object it returns is fresh. */
export class HeapReader {
  private readonly objects: object[];
  private readonly handles = new Map<string, Handle>();

  constructor(heap: unknown) {
    if (!Array.isArray(heap)) throw new InterpreterError("state: heap is not an array");
    const entries = heap as Json[];
    // Allocate first, fill second: entries refer to each other in any direction.
    this.objects = entries.map((e) => (Array.isArray(e) ? [] : isErrorEntry(e) ? this.errorObject(e[ERROR]) : {}));
    for (let i = 0; i < entries.length; i++) {
      const entry = entries[i];
      const target = this.objects[i];
      if (Array.isArray(entry)) {
        const out = target as unknown[];
        for (const item of entry) {
          if (Array.isArray(item) && item.length === 1 && item[0] === "hole") out.length++;
          else out.push(this.value(item));
        }
      } else if (typeof entry === "object" && entry !== null) {
        for (const key of Object.keys(entry)) {
          if (key === ERROR && target instanceof ErrorObject) this.fillHidden(target, entry[key]);
          else setOwn(target, decodeKey(key), this.value(entry[key]));
        }
      } else {
        throw new InterpreterError(`state: heap entry ${i} is not an object or array`);
      }
    }
  }

  /** An ErrorObject from its `%error` header; its properties are filled with the others. */
  private errorObject(header: unknown): ErrorObject {
    const h = header as { name?: unknown; ancestry?: unknown; stack?: unknown };
    const name = this.text(h.name);
    if (!Array.isArray(h.ancestry)) throw new InterpreterError(`state: bad error entry ${JSON.stringify(header)}`);
    return new ErrorObject(name, h.ancestry.map((a) => this.text(a)), h.stack === undefined ? undefined : this.text(h.stack));
  }

  private fillHidden(error: ErrorObject, header: unknown): void {
    const hidden = (header as { hidden?: unknown }).hidden;
    if (typeof hidden !== "object" || hidden === null || Array.isArray(hidden)) throw new InterpreterError(`state: bad error entry ${JSON.stringify(header)}`);
    for (const key of Object.keys(hidden)) {
      const value = this.value((hidden as Record<string, Json>)[key]);
      Object.defineProperty(error, decodeKey(key), { value, writable: true, enumerable: false, configurable: true });
    }
  }

  /** A string value (plain or tagged), before the heap's objects exist. */
  private text(v: unknown): string {
    if (typeof v === "string") return v;
    if (Array.isArray(v) && v[0] === "string") return joinParts(v as Json[], 1);
    throw new InterpreterError(`state: expected a string, not ${JSON.stringify(v)}`);
  }

  value(v: unknown): unknown {
    if (typeof v !== "object" || v === null) return v;
    if (!Array.isArray(v)) throw new InterpreterError(`state: unexpected object ${JSON.stringify(v)} where a value was expected`);
    const head: unknown = v[0];
    if (typeof head === "number") {
      if (v.length === 1 && head in this.objects) return this.objects[head];
    } else if (head === "string") {
      return joinParts(v as Json[], 1);
    } else if (head === "handle" && typeof v[1] === "string") {
      let h = this.handles.get(v[1]);
      if (!h) this.handles.set(v[1], (h = new Handle(v[1])));
      return h;
    } else if (typeof head === "string" && v.length === 1 && Object.prototype.hasOwnProperty.call(SPECIAL, head)) {
      return SPECIAL[head];
    }
    throw new InterpreterError(`state: bad value tag ${JSON.stringify(v)}`);
  }
}
