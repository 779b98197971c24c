import type { ArrayMethod, NumberMethod, StringMethod } from "../../../ir-schema/index.ts";

/* eslint-disable @typescript-eslint/no-explicit-any -- methods coerce their arguments like JavaScript does */
type Method<T> = (self: T, args: any[]) => unknown;

/**
 * One entry per method name in `ir-schema/builtins.ts`, per receiver type. All are
 * non-mutating; the receivers and arguments are JSON values, so the native methods
 * cannot reach user code.
 */
const S = String.prototype;
const str = (m: (...a: any[]) => unknown): Method<string> => (self, args) => m.apply(self, args);

export const stringMethods: Record<StringMethod, Method<string>> = {
  at: str(S.at), charAt: str(S.charAt), charCodeAt: str(S.charCodeAt), codePointAt: str(S.codePointAt),
  concat: str(S.concat), endsWith: str(S.endsWith), includes: str(S.includes), indexOf: str(S.indexOf),
  lastIndexOf: str(S.lastIndexOf), padEnd: str(S.padEnd), padStart: str(S.padStart), repeat: str(S.repeat),
  replace: str(S.replace), replaceAll: str(S.replaceAll), slice: str(S.slice), split: str(S.split),
  startsWith: str(S.startsWith), substring: str(S.substring), toLowerCase: str(S.toLowerCase),
  toUpperCase: str(S.toUpperCase), trim: str(S.trim), trimEnd: str(S.trimEnd), trimStart: str(S.trimStart),
  toString: str(S.toString), normalize: str(S.normalize),
  // The process locale is environment; a workflow must compare the same way on every worker.
  localeCompare: (self, [that, locales, options]) => self.localeCompare(that, locales ?? "en", options),
};

// ES2023 copy methods exist in Node 20 but not in the ES2022 lib typings.
const A = Array.prototype as unknown as Record<ArrayMethod, (...a: any[]) => unknown>;
const arr = (m: (...a: any[]) => unknown): Method<unknown[]> => (self, args) => m.apply(self, args);

export const arrayMethods: Record<ArrayMethod, Method<unknown[]>> = {
  at: arr(A.at), concat: arr(A.concat), flat: arr(A.flat), includes: arr(A.includes), indexOf: arr(A.indexOf),
  join: arr(A.join), lastIndexOf: arr(A.lastIndexOf), slice: arr(A.slice), toReversed: arr(A.toReversed),
  toSorted: arr(A.toSorted), toSpliced: arr(A.toSpliced), with: arr(A.with),
  // Iterators are not JSON; the workflow sees the array they would produce.
  keys: (self) => [...self.keys()],
  values: (self) => [...self.values()],
  entries: (self) => [...self.entries()],
};

const N = Number.prototype;
export const numberMethods: Record<NumberMethod, Method<number>> = {
  toFixed: (self, args) => N.toFixed.apply(self, args as [number]),
  toString: (self, args) => N.toString.apply(self, args as [number]),
  toPrecision: (self, args) => N.toPrecision.apply(self, args as [number]),
};

/** The method `name` of `self`'s runtime type, or undefined when it has none. */
export function findMethod(self: unknown, name: string): ((args: unknown[]) => unknown) | undefined {
  const own = Object.prototype.hasOwnProperty;
  if (typeof self === "string" && own.call(stringMethods, name)) {
    return (args) => stringMethods[name as StringMethod](self, args);
  }
  if (Array.isArray(self) && own.call(arrayMethods, name)) return (args) => arrayMethods[name as ArrayMethod](self, args);
  if (typeof self === "number" && own.call(numberMethods, name)) return (args) => numberMethods[name as NumberMethod](self, args);
  return undefined;
}
