import type { Json } from "../../ir-schema/index.ts";

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

/**
 * Converts anything thrown (by an action, or a native operation inside the
 * evaluator) into an `ErrorValue`. The ancestry is the constructor names along the
 * prototype chain; a `name` the class sets that differs from them is put first so
 * it matches too.
 */
export function errorFromThrown(thrown: unknown): ErrorValue {
  if (isErrorValue(thrown) && !(thrown instanceof Error)) return thrown;
  if (typeof thrown !== "object" || thrown === null) {
    return makeError("Error", typeof thrown === "string" ? thrown : String(thrown));
  }
  const ancestry: string[] = [];
  for (let proto = Object.getPrototypeOf(thrown); proto && proto !== Object.prototype; proto = Object.getPrototypeOf(proto)) {
    const ctor = Object.prototype.hasOwnProperty.call(proto, "constructor") ? (proto as { constructor: unknown }).constructor : undefined;
    const name = typeof ctor === "function" ? ctor.name : "";
    if (name && !ancestry.includes(name)) ancestry.push(name);
  }
  if (ancestry[ancestry.length - 1] !== "Error") ancestry.push("Error");
  const t = thrown as { name?: unknown; message?: unknown };
  const ownName = typeof t.name === "string" ? t.name : undefined;
  // A class that does not set `name` inherits "Error"; its class name is more useful.
  const name = ownName && (ownName !== "Error" || ancestry[0] === "Error") ? ownName : ancestry[0];
  if (!ancestry.includes(name)) ancestry.unshift(name);
  const error = makeError(name, typeof t.message === "string" ? t.message : String(t.message ?? ""), ancestry);
  for (const key of Object.keys(thrown)) {
    if (key === "name" || key === "message" || key === "ancestry" || key === "stack") continue;
    const json = jsonOrUndefined((thrown as Record<string, unknown>)[key]);
    if (json !== undefined) Object.defineProperty(error, key, { value: json, enumerable: true, writable: true, configurable: true });
  }
  return error;
}

function jsonOrUndefined(value: unknown): Json | undefined {
  try {
    const text = JSON.stringify(value);
    return text === undefined ? undefined : (JSON.parse(text) as Json);
  } catch {
    return undefined;
  }
}
