import type { Json } from "../../ir-schema/index.ts";
import type { State } from "./state.ts";
import { hasOwn, setOwn } from "./values.ts";

/**
 * In memory, values in a state may hold NaN, ±Infinity and `undefined` (inside
 * arrays and objects), which JSON cannot. Persisted, each becomes `{"%value": "NaN"}`
 * (or "Infinity", "-Infinity", "undefined"); everything else is unchanged. The key
 * `%value` is reserved: a user object consisting of exactly that key with one of
 * those strings would be read back as the special value.
 */
const TAG = "%value";
const SPECIAL: Record<string, unknown> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, undefined };

/** The state as a plain JSON value, ready for JSON.stringify or a jsonb column. */
export function stateToJson(state: State): Json {
  return encode(state) as Json;
}

/** Inverse of `stateToJson`. */
export function stateFromJson(json: unknown): State {
  return decode(json) as State;
}

function encode(value: unknown): unknown {
  if (typeof value === "number") return Number.isFinite(value) ? value : tag(String(value));
  if (value === undefined) return tag("undefined");
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = encode(value[i]);
    return out;
  }
  if (typeof value === "object" && value !== null) {
    const out = {};
    for (const key of Object.keys(value)) setOwn(out, key, encode((value as Record<string, unknown>)[key]));
    return out;
  }
  return value;
}

function tag(name: string): Record<string, string> {
  const out = {};
  setOwn(out, TAG, name);
  return out;
}

function decode(value: unknown): unknown {
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = decode(value[i]);
    return out;
  }
  if (typeof value !== "object" || value === null) return value;
  const keys = Object.keys(value);
  const special = (value as Record<string, unknown>)[TAG];
  if (keys.length === 1 && keys[0] === TAG && typeof special === "string" && hasOwn(SPECIAL, special)) return SPECIAL[special];
  const out = {};
  for (const key of keys) setOwn(out, key, decode((value as Record<string, unknown>)[key]));
  return out;
}
