import type { Json } from "../../ir-schema/index.ts";
import { checkPayload } from "../payload.ts";

/**
 * An error as it lives in interpreter state and crosses the database: its `name`,
 * `message`, the class chain (`ancestry`, most derived first, ending with "Error")
 * that `instanceof` matches against, plus the error's own JSON-able data properties.
 */
export interface ErrorValue {
  name: string;
  message: string;
  ancestry: string[];
  [prop: string]: Json;
}

export function makeError(name: string, message: string, ancestry: string[] = name === "Error" ? ["Error"] : [name, "Error"]): ErrorValue {
  return { name, message, ancestry };
}

export function isErrorValue(value: unknown): value is ErrorValue {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && typeof v.message === "string" && Array.isArray(v.ancestry);
}

/** `value instanceof className`, by name: the class or any ancestor, or the error's own `name`. */
export function matchesError(value: unknown, className: string): boolean {
  if (!isErrorValue(value)) return false;
  return value.ancestry.includes(className) || value.name === className;
}

/** Thrown inside the interpreter to raise a workflow-level (catchable) error. */
export class Raise {
  constructor(readonly error: ErrorValue) {}
}

export const raise = (name: string, message: string): Raise => new Raise(makeError(name, message));
export const typeError = (message: string): Raise => raise("TypeError", message);

/**
 * A broken invariant of the IR or of the state (a compiler or runtime bug, never a
 * user error): thrown out of `advance`/`resolve`, not catchable by the workflow.
 */
export class InterpreterError extends Error {
  override name = "InterpreterError";
}

/** Largest error kept, in bytes of JSON, unless a runner sets its own (see capError). */
export const MAX_ERROR_BYTES = 64 * 1024;

/**
 * Converts anything thrown (by an action, or a native operation inside the
 * evaluator) into an `ErrorValue`. The ancestry is the constructor names along the
 * prototype chain, most derived first; `name` is what JavaScript shows as the
 * error's name (a class that sets no `name` of its own shows "Error"), and a
 * `name` the chain does not contain is put first in the ancestry so it matches too.
 * Never throws, whatever was thrown: getters that throw, proxies, a hostile
 * `toString` are read defensively, and the result is always storable (strings
 * made well-formed, at most `maxBytes` of JSON, see capError).
 */
export function errorFromThrown(thrown: unknown, maxBytes = MAX_ERROR_BYTES): ErrorValue {
  let error: ErrorValue;
  try {
    error = convertThrown(thrown);
  } catch {
    error = makeError("Error", "(a thrown value that could not be read)");
  }
  return capError(error, maxBytes);
}

function convertThrown(thrown: unknown): ErrorValue {
  if (typeof thrown !== "object" || thrown === null) {
    return makeError("Error", storable(typeof thrown === "string" ? thrown : safeString(thrown)));
  }
  if (isErrorValue(thrown) && !(thrown instanceof Error)) return sanitizeError(thrown);
  const ancestry: string[] = [];
  try {
    for (let proto = Object.getPrototypeOf(thrown); proto && proto !== Object.prototype && ancestry.length < 50; proto = Object.getPrototypeOf(proto)) {
      const ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") ? (proto as { constructor: unknown }).constructor : undefined;
      const name = typeof ctor === "function" ? storable(ctor.name) : "";
      if (name && !ancestry.includes(name)) ancestry.push(name);
    }
  } catch {
    // A proxy's getPrototypeOf trap threw: the chain read so far is what we know.
  }
  if (ancestry[ancestry.length - 1] !== "Error") ancestry.push("Error");
  const ownName = safeGet(thrown, "name");
  const name = typeof ownName === "string" ? storable(ownName) : "Error";
  if (!ancestry.includes(name)) ancestry.unshift(name);
  const message = safeGet(thrown, "message");
  const error = makeError(name, typeof message === "string" ? storable(message) : message === undefined ? "" : storable(safeString(message)), ancestry);
  let keys: string[] = [];
  try {
    keys = Object.keys(thrown);
  } catch {
    // A proxy's ownKeys trap threw: no extra properties.
  }
  for (const key of keys) {
    if (key === "name" || key === "message" || key === "ancestry" || key === "stack" || !storable(key)) continue;
    const json = jsonOrUndefined(safeGet(thrown, key));
    if (json !== undefined) Object.defineProperty(error, key, { value: json, enumerable: true, writable: true, configurable: true });
  }
  return error;
}

/** The outside world's name for an error: its class (or the name it set itself). */
export function errorClassName(error: ErrorValue): string {
  return error.ancestry[0] ?? error.name;
}

/**
 * At most `maxBytes` of JSON: an error over the limit keeps its name, class chain
 * and the start of its message, marked as truncated; its other properties go.
 */
export function capError(error: ErrorValue, maxBytes = MAX_ERROR_BYTES): ErrorValue {
  const bytes = Buffer.byteLength(JSON.stringify(error));
  if (bytes <= maxBytes) return error;
  const ancestry = error.ancestry.slice(0, 50);
  const room = Math.max(0, maxBytes - Buffer.byteLength(JSON.stringify({ ...makeError(error.name.slice(0, 1000), "", ancestry), truncated: bytes })) - 100);
  // Cut by characters, then make sure a cut surrogate pair does not leave half of itself.
  const cut = storable(error.message.slice(0, Math.floor(room / 3)));
  return { ...makeError(error.name.slice(0, 1000), `${cut}… [truncated: the error was ${bytes} bytes of JSON, over the limit of ${maxBytes}]`, ancestry), truncated: bytes };
}

/** Strings Postgres can store: unpaired surrogates and NUL become U+FFFD. */
function storable(s: string): string {
  const wellFormed = (s as unknown as { toWellFormed(): string }).toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\ufffd") : wellFormed;
}

function sanitizeError(e: ErrorValue): ErrorValue {
  const out = makeError(storable(e.name), storable(e.message), e.ancestry.filter((a) => typeof a === "string").map(storable));
  for (const key of Object.keys(e)) {
    if (key === "name" || key === "message" || key === "ancestry") continue;
    const json = jsonOrUndefined(e[key]);
    if (json !== undefined) Object.defineProperty(out, storable(key), { value: json, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

function safeGet(obj: object, key: string): unknown {
  try {
    return (obj as Record<string, unknown>)[key];
  } catch {
    return undefined;
  }
}

function safeString(value: unknown): string {
  try {
    return String(value);
  } catch {
    return "(a value that cannot be turned into a string)";
  }
}

/** A property worth keeping: a payload (see payload.ts) whose strings Postgres can store; anything else is dropped. */
function jsonOrUndefined(value: unknown): Json | undefined {
  try {
    return checkPayload(value, "error property", "property") as Json | undefined;
  } catch {
    return undefined;
  }
}
