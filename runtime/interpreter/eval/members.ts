import type { Expr } from "../../../ir-schema/index.ts";
import { typeError } from "../errors.ts";
import { ErrorObject, errorProp, getOwn, hasOwn, setOwn } from "../values.ts";
import { toStr } from "./convert.ts";

/** JavaScript's ToPropertyKey for the JSON values a workflow can hold. */
export function propertyKey(value: unknown): string {
  return typeof value === "string" ? value : toStr(value);
}

function arrayIndex(key: string): number | undefined {
  const n = Number(key);
  return Number.isInteger(n) && n >= 0 && String(n) === key ? n : undefined;
}

/**
 * `object[key]` seeing only own data: array and string indices and `length`, own
 * properties of plain objects. Prototypes are invisible, so `x.constructor` and
 * `x.__proto__` read own data or undefined.
 */
export function getMember(object: unknown, key: string): unknown {
  if (object === null || object === undefined) {
    throw typeError(`Cannot read properties of ${object} (reading '${key}')`);
  }
  if (typeof object === "string") {
    if (key === "length") return object.length;
    const i = arrayIndex(key);
    return i === undefined ? undefined : object[i];
  }
  if (Array.isArray(object)) {
    if (key === "length") return object.length;
    const i = arrayIndex(key);
    return i === undefined ? getOwn(object, key) : object[i];
  }
  // An error's `name` and `message` fall back to what Error's prototype chain gives.
  if (object instanceof ErrorObject && (key === "name" || key === "message")) return errorProp(object, key);
  if (typeof object === "object") return getOwn(object, key);
  return undefined;
}

/** `object[key] = value` in strict mode, defining own data properties only. */
export function setMember(object: unknown, key: string, value: unknown): void {
  if (object === null || object === undefined) {
    throw typeError(`Cannot set properties of ${object} (setting '${key}')`);
  }
  if (typeof object === "string") {
    if (key === "length" || arrayIndex(key) !== undefined) {
      throw typeError(`Cannot assign to read only property '${key}' of string '${object}'`);
    }
    throw typeError(`Cannot create property '${key}' on string '${object}'`);
  }
  if (typeof object !== "object") {
    throw typeError(`Cannot create property '${key}' on ${typeof object} '${toStr(object)}'`);
  }
  if (Array.isArray(object)) {
    const i = arrayIndex(key);
    if (i !== undefined) {
      object[i] = value;
      return;
    }
    if (key === "length") {
      object.length = value as number;
      return;
    }
  }
  setOwn(object, key, value);
}

/** Whether `key in object`, with the same own-only view as `getMember`. */
export function hasMember(object: unknown, key: string): boolean {
  if (typeof object !== "object" || object === null) {
    throw typeError(`Cannot use 'in' operator to search for '${key}' in ${toStr(object)}`);
  }
  if (Array.isArray(object)) {
    const i = arrayIndex(key);
    if (key === "length") return true;
    if (i !== undefined) return i < object.length;
  }
  if (object instanceof ErrorObject && (key === "name" || key === "message")) return true;
  return hasOwn(object, key);
}

/** How V8 names an expression in messages like "x.foo is not a function". */
export function describe(expr: Expr): string {
  switch (expr.kind) {
    case "var":
      return expr.name;
    case "member": {
      const base = describe(expr.object);
      const p = expr.property;
      if (p.kind === "lit" && typeof p.value === "string" && /^[A-Za-z_$][\w$]*$/.test(p.value)) return `${base}.${p.value}`;
      if (p.kind === "lit" && (typeof p.value === "number" || typeof p.value === "string")) return `${base}[${JSON.stringify(p.value)}]`;
      return `${base}[...]`;
    }
    case "lit":
      return typeof expr.value === "string" ? JSON.stringify(expr.value) : String(expr.value);
    default:
      return "(intermediate value)";
  }
}
