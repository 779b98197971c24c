import { BuiltinConstants, type BuiltinFunction } from "../../../ir-schema/index.ts";
import { typeError } from "../errors.ts";
import { setOwn } from "../values.ts";
import { getMember, propertyKey } from "./members.ts";
import { toStr } from "./convert.ts";

/* eslint-disable @typescript-eslint/no-explicit-any -- builtins coerce their arguments like JavaScript does */
type Builtin = (args: any[]) => unknown;

/**
 * One entry per name in `ir-schema/builtins.ts` (a missing or extra one is a type
 * error). Arguments are JSON values, so delegating to the native function is safe;
 * the exceptions are the ones that would build objects (`Object.fromEntries`,
 * whose keys are data and must never reach a prototype) or stringify (`String`,
 * which renders error values like errors).
 */
export const builtins: Record<BuiltinFunction, Builtin> = {
  "Math.abs": (a) => Math.abs(a[0]),
  "Math.ceil": (a) => Math.ceil(a[0]),
  "Math.floor": (a) => Math.floor(a[0]),
  "Math.round": (a) => Math.round(a[0]),
  "Math.trunc": (a) => Math.trunc(a[0]),
  "Math.sign": (a) => Math.sign(a[0]),
  "Math.max": (a) => Math.max(...a),
  "Math.min": (a) => Math.min(...a),
  "Math.pow": (a) => Math.pow(a[0], a[1]),
  "Math.sqrt": (a) => Math.sqrt(a[0]),
  "Math.cbrt": (a) => Math.cbrt(a[0]),
  "Math.hypot": (a) => Math.hypot(...a),
  "Math.log": (a) => Math.log(a[0]),
  "Math.log2": (a) => Math.log2(a[0]),
  "Math.log10": (a) => Math.log10(a[0]),
  "Math.exp": (a) => Math.exp(a[0]),
  Number: (a) => (a.length === 0 ? 0 : Number(a[0])),
  String: (a) => (a.length === 0 ? "" : toStr(a[0])),
  Boolean: (a) => Boolean(a[0]),
  parseInt: (a) => parseInt(a[0], a[1]),
  parseFloat: (a) => parseFloat(a[0]),
  "Number.isInteger": (a) => Number.isInteger(a[0]),
  "Number.isFinite": (a) => Number.isFinite(a[0]),
  "Number.isNaN": (a) => Number.isNaN(a[0]),
  "Number.isSafeInteger": (a) => Number.isSafeInteger(a[0]),
  "Number.parseFloat": (a) => Number.parseFloat(a[0]),
  "Number.parseInt": (a) => Number.parseInt(a[0], a[1]),
  isNaN: (a) => isNaN(a[0]),
  isFinite: (a) => isFinite(a[0]),
  "Array.isArray": (a) => Array.isArray(a[0]),
  "Array.of": (a) => [...a],
  "Object.keys": (a) => Object.keys(a[0]),
  "Object.values": (a) => Object.values(a[0]),
  "Object.entries": (a) => Object.entries(a[0]),
  "Object.fromEntries": (a) => fromEntries(a[0]),
  "JSON.stringify": (a) => JSON.stringify(a[0], a[1], a[2]),
  // Native JSON.parse defines `__proto__` as an own data property; no reviver is passed.
  "JSON.parse": (a) => JSON.parse(toStr(a[0])),
  encodeURIComponent: (a) => encodeURIComponent(a[0]),
  decodeURIComponent: (a) => decodeURIComponent(a[0]),
  "String.fromCharCode": (a) => String.fromCharCode(...a),
};

function fromEntries(entries: unknown): Record<string, unknown> {
  if (!Array.isArray(entries)) throw typeError(`${toStr(entries)} is not iterable`);
  const out: Record<string, unknown> = {};
  for (const entry of entries) {
    if (typeof entry !== "object" || entry === null) throw typeError(`Iterator value ${toStr(entry)} is not an entry object`);
    setOwn(out, propertyKey(getMember(entry, "0")), getMember(entry, "1"));
  }
  return out;
}

const constants: Readonly<Record<string, number>> = BuiltinConstants;

/** A builtin by name: a function, or a constant like `Math.PI` given as a zero-argument builtin. */
export function callBuiltin(name: string, args: unknown[]): unknown {
  if (Object.prototype.hasOwnProperty.call(builtins, name)) return builtins[name as BuiltinFunction](args);
  if (Object.prototype.hasOwnProperty.call(constants, name) && args.length === 0) return constants[name];
  throw typeError(`${name} is not a supported builtin`);
}
