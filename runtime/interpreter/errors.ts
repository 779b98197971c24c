import type { Json } from "../../ir-schema/index.ts";
import { checkPayload, encodeWire } from "../payload.ts";
import { boundedStack } from "./error-stack.ts";
import { ErrorObject } from "./values.ts";

/**
 * An error as it crosses the database and the runners (an action's failure, the
 * error a workflow fails with): its `name` (what JavaScript shows), `message`, the
 * class chain (`ancestry`, most derived first, ending with "Error") that
 * `instanceof` matches against, plus the error's own JSON-able data properties.
 * Inside the workflow it is an `ErrorObject` (values.ts, error-boundary.ts).
 *
 * Keys starting with a single `%` carry what JavaScript would otherwise lose
 * (a user property starting with `%` is written with one more `%`, so none can
 * collide): `%own` lists which of `name` / `message` were own enumerable
 * properties of the error (a class field `name = "Boom"` is; `new Error(m)`'s
 * message is not), and `%thrown` holds a thrown value that was not an Error (a
 * string, a plain object) in the payload wire form; such an error has an empty
 * ancestry, name "Error" and `String(value)` as its message, and the workflow
 * catches the value itself. `%stack` holds the frames of the thrown Error's
 * stack, bounded (error-stack.ts), for people reading the instance: the workflow
 * that catches the error never sees it (error-boundary.ts keeps it off the
 * ErrorObject's properties), but rethrown it goes with the error.
 */
export interface ErrorValue {
  name: string;
  message: string;
  ancestry: string[];
  [prop: string]: Json;
}

/** Key of an ErrorValue listing which of name/message were own enumerable properties. */
export const OWN_KEY = "%own";
/** Key of an ErrorValue holding a thrown non-Error value (encodeWire form). */
export const THROWN_KEY = "%thrown";
/** Key of an ErrorValue holding the frames of the thrown Error's stack (see ErrorValue). */
export const STACK_KEY = "%stack";

/** The stack an error value carries, if any (the frames, one a line). */
export function errorStack(e: unknown): string | undefined {
  if (!isErrorValue(e) || !Object.prototype.hasOwnProperty.call(e, STACK_KEY)) return undefined;
  const stack = e[STACK_KEY];
  return typeof stack === "string" ? stack : undefined;
}

/** A user property key as an ErrorValue holds it, and back: `%` keys get one more `%`. */
export const escapeErrorKey = (key: string): string => (key.startsWith("%") ? "%" + key : key);
export const unescapeErrorKey = (key: string): string => (key.startsWith("%%") ? key.slice(1) : key);

/** Whether `e` stands for a thrown value that was not an Error (see ErrorValue). */
export function isThrownValue(e: ErrorValue): boolean {
  return Object.prototype.hasOwnProperty.call(e, THROWN_KEY) || e.ancestry.length === 0;
}

export function makeError(name: string, message: string, ancestry: string[] = name === "Error" ? ["Error"] : [name, "Error"]): ErrorValue {
  return { name, message, ancestry };
}

export function isErrorValue(value: unknown): value is ErrorValue {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const v = value as Record<string, unknown>;
  return typeof v.name === "string" && typeof v.message === "string" && Array.isArray(v.ancestry);
}

/** `value instanceof className` for an ErrorValue, by name: the class or any ancestor, or the error's own `name`. */
export function matchesError(value: unknown, className: string): boolean {
  if (!isErrorValue(value) || isThrownValue(value)) return false;
  return value.ancestry.includes(className) || value.name === className;
}

/**
 * Thrown inside the interpreter to raise a workflow-level (catchable) exception:
 * `thrown` is what the workflow's `catch` binds, an ErrorObject or, rethrown, any
 * value. `created`: the interpreter made the error just now (a TypeError of the
 * evaluator), so it has no stack yet and the machine gives it its location.
 */
export class Raise {
  constructor(readonly thrown: unknown, readonly created = false) {}
}

/**
 * A new error as the workflow holds it, as `new TypeError(message)` makes one: the
 * message an own non-enumerable property, the name inherited.
 */
export function newErrorObject(name: string, message: string, ancestry: readonly string[] = name === "Error" ? ["Error"] : [name, "Error"]): ErrorObject {
  const error = new ErrorObject(name, ancestry);
  Object.defineProperty(error, "message", { value: message, writable: true, enumerable: false, configurable: true });
  return error;
}

export const raise = (name: string, message: string): Raise => new Raise(newErrorObject(name, message), true);
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
 * A thrown value whose chain has no Error (a string, a number, a plain object) is
 * kept as itself under `%thrown` when it is a payload (see ErrorValue).
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
  if (typeof thrown !== "object" || thrown === null) return thrownValue(thrown);
  // A runner's own error value passed along (not a user's thrown data: that has no `ancestry`).
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
  if (!ancestry.includes("Error")) return thrownValue(thrown);
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
  const own = keys.filter((k) => k === "name" || k === "message");
  if (own.length > 0) error[OWN_KEY] = own;
  for (const key of keys) {
    if (key === "name" || key === "message" || key === "stack" || !storable(key)) continue;
    const json = jsonOrUndefined(safeGet(thrown, key));
    if (json !== undefined) Object.defineProperty(error, escapeErrorKey(key), { value: json, enumerable: true, writable: true, configurable: true });
  }
  // Read last: formatting the stack runs Error.prepareStackTrace, user code that may throw.
  const stack = safeGet(thrown, "stack");
  const frames = typeof stack === "string" ? boundedStack(stack) : undefined;
  if (frames !== undefined) error[STACK_KEY] = storable(frames);
  return error;
}

/** A thrown value that is not an Error: Error-like for the outside world, itself for the workflow. */
function thrownValue(thrown: unknown): ErrorValue {
  const error = makeError("Error", storable(typeof thrown === "string" ? thrown : safeString(thrown)), []);
  let payload: unknown;
  try {
    payload = checkPayload(thrown, "thrown value", "thrown");
  } catch {
    // Not a payload (a function, a cycle, a lone surrogate): the workflow catches its message.
    return error;
  }
  error[THROWN_KEY] = encodeWire(payload);
  return error;
}

/** The outside world's name for an error: its class (or the name it set itself). */
export function errorClassName(error: ErrorValue): string {
  return error.ancestry[0] ?? error.name;
}

/**
 * At most `maxBytes` of JSON: an error over the limit keeps its name, class chain,
 * the start of its message, marked as truncated, and its stack when that takes at
 * most half the limit; its other properties go (a thrown non-Error value too: the
 * workflow then catches its message, a string).
 */
export function capError(error: ErrorValue, maxBytes = MAX_ERROR_BYTES): ErrorValue {
  const bytes = Buffer.byteLength(JSON.stringify(error));
  if (bytes <= maxBytes) return error;
  const ancestry = error.ancestry.slice(0, 50);
  const kept: ErrorValue = { ...makeError(error.name.slice(0, 1000), "", ancestry), truncated: bytes };
  const stack = errorStack(error);
  if (stack !== undefined && Buffer.byteLength(JSON.stringify(stack)) <= maxBytes / 2) kept[STACK_KEY] = stack;
  const room = Math.max(0, maxBytes - Buffer.byteLength(JSON.stringify(kept)) - 100);
  // Cut by characters, then make sure a cut surrogate pair does not leave half of itself.
  const cut = storable(error.message.slice(0, Math.floor(room / 3)));
  kept.message = `${cut}… [truncated: the error was ${bytes} bytes of JSON, over the limit of ${maxBytes}]`;
  return kept;
}

/** Strings Postgres can store: unpaired surrogates and NUL become U+FFFD. */
function storable(s: string): string {
  const wellFormed = (s as unknown as { toWellFormed(): string }).toWellFormed();
  return wellFormed.includes("\u0000") ? wellFormed.replaceAll("\u0000", "\ufffd") : wellFormed;
}

/** An error value made storable (well-formed strings, JSON-able properties) and capped. */
export function storableError(e: ErrorValue, maxBytes = MAX_ERROR_BYTES): ErrorValue {
  return capError(sanitizeError(e), maxBytes);
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
