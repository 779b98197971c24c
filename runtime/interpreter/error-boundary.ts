import { decodeWire } from "../payload.ts";
import { copyValue } from "./copy.ts";
import {
  OWN_KEY, STACK_KEY, THROWN_KEY, errorFromThrown, errorStack, escapeErrorKey, isErrorValue, makeError, storableError, unescapeErrorKey,
  type ErrorValue,
} from "./errors.ts";
import { ErrorObject, errorProp, hasOwn, setOwn } from "./values.ts";

/**
 * The two crossings of an error: an `ErrorValue` (the wire form runners and the
 * database carry) becomes what the workflow catches, and what escapes the workflow
 * becomes an `ErrorValue` again.
 */

/**
 * What a workflow catches for an error value: an ErrorObject whose own properties
 * are the thrown error's (`message` non-enumerable unless it was an own enumerable
 * property, `name` own only when the error had its own; its stack hidden, see
 * ErrorObject), or, for a thrown value that was not an Error, that value itself
 * (a fresh copy).
 */
export function caughtValue(e: ErrorValue): unknown {
  if (hasOwn(e, THROWN_KEY)) return decodeWire(e[THROWN_KEY]);
  // A thrown non-Error value too big or odd to keep: its message is what is left of it.
  if (e.ancestry.length === 0) return e.message;
  const own = Array.isArray(e[OWN_KEY]) ? (e[OWN_KEY] as unknown[]) : [];
  const ancestry = e.ancestry.includes(e.name) ? [...e.ancestry] : [e.name, ...e.ancestry];
  // With an own `name`, the inherited one is Error's (what a prototype gives is not recorded).
  const error = new ErrorObject(own.includes("name") ? "Error" : e.name, ancestry, errorStack(e));
  if (own.includes("name")) setOwn(error, "name", e.name);
  Object.defineProperty(error, "message", { value: e.message, writable: true, enumerable: own.includes("message"), configurable: true });
  for (const key of Object.keys(e)) {
    if (key === "name" || key === "message" || key === "ancestry" || key === OWN_KEY || key === STACK_KEY) continue;
    setOwn(error, unescapeErrorKey(key), copyValue(e[key]));
  }
  return error;
}

/**
 * The error value for what escapes the workflow (or is logged): an ErrorObject
 * with its name and message as the workflow last set them, its class chain, its
 * own enumerable data and the stack it was caught with; any other thrown value
 * Error-like, carrying the value.
 * Always storable (see storableError).
 */
export function escapedError(thrown: unknown): ErrorValue {
  if (!(thrown instanceof ErrorObject)) return errorFromThrown(copyValue(thrown));
  const name = errorProp(thrown, "name");
  const message = errorProp(thrown, "message");
  const out = makeError(text(name), text(message), [...thrown.ancestry]);
  const keys = Object.keys(thrown);
  const own = keys.filter((k) => k === "name" || k === "message");
  if (own.length > 0) out[OWN_KEY] = own;
  for (const key of keys) {
    if (key === "name" || key === "message") continue;
    // Copies: later mutations in the workflow must not reach what was sent.
    setOwn(out, escapeErrorKey(key), copyValue((thrown as unknown as Record<string, unknown>)[key]));
  }
  if (thrown.hiddenStack !== undefined) out[STACK_KEY] = thrown.hiddenStack;
  return storableError(out);
}

/** `String(v)` that cannot throw: the workflow may have set `name` to an object whose own `toString` is data. */
function text(v: unknown): string {
  if (typeof v === "string") return v;
  try {
    return String(v);
  } catch {
    return "(a value that cannot be turned into a string)";
  }
}

/** Log arguments as runners print them: an error (at the top level) as its error value. */
export function loggedValue(value: unknown): unknown {
  return value instanceof ErrorObject ? escapedError(value) : copyValue(value);
}

/**
 * `value instanceof className` in a workflow: an error whose class chain names the
 * class. Thrown values that are not Errors (plain objects, strings) never match,
 * as in JavaScript.
 */
export function isInstance(value: unknown, className: string): boolean {
  return value instanceof ErrorObject && value.ancestry.includes(className);
}

/**
 * A value read from a state saved before errors were ErrorObjects (formats 1 and
 * 2), where a caught error was a plain `{ name, message, ancestry }` object: the
 * ErrorObject it stands for. Anything else is returned as it is.
 */
export function legacyError(value: unknown): unknown {
  return isErrorValue(value) && !(value instanceof ErrorObject) ? caughtValue(value) : value;
}
