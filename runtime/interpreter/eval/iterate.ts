import type { Expr, NodeOf } from "../../../ir-schema/index.ts";
import { typeError } from "../errors.ts";
import { getMember, describe } from "./members.ts";
import { toStr } from "./convert.ts";

type Method = NodeOf<Expr, "iter">["method"];

/**
 * What `for...of` iterates, as JavaScript's built-in iterators keep it: the array
 * itself (shared, so elements pushed during the loop are visited, as the array
 * iterator reads `length` at every step) or the string, and the position reached.
 * A plain object in the state, read and advanced only by `nextStep`.
 */
export interface IteratorState {
  source: unknown[] | string;
  method: Method;
  index: number;
}

/** `value[Symbol.iterator]()` (or `value.entries()` ... for a method) for the iterables a workflow can hold. */
export function makeIterator(value: unknown, method: Method, expr: Expr): IteratorState {
  if (method === null) {
    if (Array.isArray(value) || typeof value === "string") return { source: value, method, index: 0 };
    throw typeError(notIterable(expr, value));
  }
  // Reading the method off null/undefined fails first, as in JavaScript.
  if (value === null || value === undefined) getMember(value, method);
  if (Array.isArray(value)) return { source: value, method, index: 0 };
  throw typeError(`${describe(expr)}.${method} is not a function or its return value is not iterable`);
}

/** `iterator.next()`: `{ value, done }`. */
export function nextStep(it: IteratorState): { value: unknown; done: boolean } {
  const { source, index } = it;
  if (index >= source.length) return { value: undefined, done: true };
  if (typeof source === "string") {
    // By code point: a surrogate pair is one step, a lone surrogate is one too.
    const ch = String.fromCodePoint(source.codePointAt(index)!);
    it.index = index + ch.length;
    return { value: ch, done: false };
  }
  it.index = index + 1;
  const value = it.method === "keys" ? index : it.method === "entries" ? [index, source[index]] : source[index];
  return { value, done: false };
}

/**
 * V8's words: the expression's source form ("x is not iterable"), or for a compiler
 * temporary, which has none, the value itself.
 */
function notIterable(expr: Expr, value: unknown): string {
  if (expr.kind === "var" && expr.name.startsWith("%")) {
    return `${typeof value} ${toStr(value)} is not iterable (cannot read property Symbol(Symbol.iterator))`;
  }
  return `${describe(expr)} is not iterable`;
}
