import type { Json } from "../../ir-schema/index.ts";
import type { CallRecord } from "./state.ts";

/**
 * Property access that never reaches a prototype: reads see own properties only,
 * writes define own data properties (so a key named `__proto__` is just data).
 */
export const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

export function getOwn(obj: object, key: string): unknown {
  return hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function setOwn(obj: object, key: string, value: unknown): void {
  // Plain assignment is the same for every other key of the interpreter's objects
  // (only `__proto__` is an accessor on Object.prototype) and much cheaper than
  // defineProperty, which also pushes V8 objects into slow dictionary mode.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else (obj as Record<string, unknown>)[key] = value;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * A deep copy for storing in state. Besides JSON it keeps what JavaScript values a
 * workflow can compute and JSON would lose — NaN, ±Infinity, `undefined` inside
 * arrays and objects — so `let best = -Infinity` behaves as in JavaScript. `codec.ts`
 * encodes those when the state is persisted. Copying on store also means two
 * variables never alias one object, as they could not after a reload either.
 */
export function toStored(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = toStored(value[i]);
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out = {};
    for (const key of Object.keys(value)) setOwn(out, key, toStored((value as Record<string, unknown>)[key]));
    return out;
  }
  return value;
}

/**
 * The value as JSON would carry it (NaN -> null, undefined dropped from objects,
 * null in arrays): what crosses to actions and comes out as a workflow's result.
 */
export function toJson(value: unknown): Json | undefined {
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as Json);
}

/**
 * The value an un-awaited action call evaluates to. The tag key starts with `%`
 * like compiler temporaries; a handle only counts as one if it names a call in the
 * calls table and has no other keys, so user data cannot smuggle one in.
 */
export const HANDLE_KEY = "%handle";
export interface Handle { [HANDLE_KEY]: string }

export function makeHandle(callId: string): Handle {
  const h = {} as Handle;
  setOwn(h, HANDLE_KEY, callId);
  return h;
}

export function handleCallId(value: unknown, calls: Record<string, CallRecord>): string | undefined {
  if (!isPlainObject(value)) return undefined;
  const id = getOwn(value, HANDLE_KEY);
  if (typeof id !== "string" || Object.keys(value).length !== 1 || !hasOwn(calls, id)) return undefined;
  return id;
}

/** The first handle found anywhere inside `value`, if any. */
export function findHandle(value: unknown, calls: Record<string, CallRecord>, seen = new Set<object>()): string | undefined {
  if (typeof value !== "object" || value === null || seen.has(value)) return undefined;
  seen.add(value);
  const direct = handleCallId(value, calls);
  if (direct !== undefined) return direct;
  for (const item of Array.isArray(value) ? value : Object.values(value)) {
    const found = findHandle(item, calls, seen);
    if (found !== undefined) return found;
  }
  return undefined;
}
