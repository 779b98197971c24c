/**
 * The pure builtins a workflow body may call. The compiler accepts exactly these
 * names; the interpreter implements exactly these names (its tables are typed
 * over these lists, so neither side can drift). Nothing here reads a clock, a
 * random source, the environment, or mutates its receiver.
 */

/** Free functions, by dotted name, as they appear in source. */
export const BuiltinFunctions = [
  "Math.abs", "Math.ceil", "Math.floor", "Math.round", "Math.trunc", "Math.sign",
  "Math.max", "Math.min", "Math.pow", "Math.sqrt", "Math.cbrt", "Math.hypot",
  "Math.log", "Math.log2", "Math.log10", "Math.exp",
  "Number", "String", "Boolean", "parseInt", "parseFloat",
  "Number.isInteger", "Number.isFinite", "Number.isNaN", "Number.isSafeInteger", "Number.parseFloat", "Number.parseInt",
  "isNaN", "isFinite",
  "Array.isArray", "Array.of",
  "Object.keys", "Object.values", "Object.entries", "Object.fromEntries",
  "JSON.stringify", "JSON.parse",
  "encodeURIComponent", "decodeURIComponent",
  "String.fromCharCode",
] as const;
export type BuiltinFunction = (typeof BuiltinFunctions)[number];

/** Constants read as members of builtin namespaces: `Math.PI`, `Number.MAX_SAFE_INTEGER`. */
export const BuiltinConstants = {
  "Math.PI": Math.PI,
  "Math.E": Math.E,
  "Number.MAX_SAFE_INTEGER": Number.MAX_SAFE_INTEGER,
  "Number.MIN_SAFE_INTEGER": Number.MIN_SAFE_INTEGER,
  "Number.EPSILON": Number.EPSILON,
} as const;

/** Methods on strings. All return new values. */
export const StringMethods = [
  "at", "charAt", "charCodeAt", "codePointAt", "concat", "endsWith", "includes", "indexOf", "lastIndexOf",
  "padEnd", "padStart", "repeat", "replace", "replaceAll", "slice", "split", "startsWith", "substring",
  "toLowerCase", "toUpperCase", "trim", "trimEnd", "trimStart", "toString", "localeCompare", "normalize",
] as const;

/** Non-mutating methods on arrays (`push` is a statement, lowered to the `push` instruction). */
export const ArrayMethods = [
  "at", "concat", "flat", "includes", "indexOf", "join", "lastIndexOf", "slice",
  "toReversed", "toSorted", "toSpliced", "with", "keys", "values", "entries",
] as const;

/** Methods on numbers. */
export const NumberMethods = ["toFixed", "toString", "toPrecision"] as const;

export type StringMethod = (typeof StringMethods)[number];
export type ArrayMethod = (typeof ArrayMethods)[number];
export type NumberMethod = (typeof NumberMethods)[number];

export const MethodNames: ReadonlySet<string> = new Set<string>([...StringMethods, ...ArrayMethods, ...NumberMethods]);
