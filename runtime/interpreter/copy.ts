import { setOwn } from "./values.ts";

/**
 * A deep copy of `value` as plain JavaScript data: arrays stay arrays (holes stay
 * holes), every other object becomes a plain object of its own enumerable string
 * keys (so a handle becomes `{}`, as a promise would in JSON), and primitives,
 * including NaN, ±Infinity, -0, `undefined` and any string, are kept as they are.
 * Sharing and cycles inside `value` are reproduced in the copy, never unrolled.
 *
 * This is the workflow's boundary: what enters (input, action results) is copied
 * in, so nothing outside can alias the state; what leaves (action arguments, the
 * result, the error) is copied out, so nothing outside can change the state and
 * later mutations in the workflow cannot reach what was sent. Iterative, so depth
 * costs heap, not stack.
 */
export function copyValue<T>(value: T): T {
  if (typeof value !== "object" || value === null) return value;
  const copies = new Map<object, object>();
  const todo: object[] = [];
  const copyOf = (source: object): object => {
    let copy = copies.get(source);
    if (copy === undefined) {
      copy = Array.isArray(source) ? [] : {};
      copies.set(source, copy);
      todo.push(source);
    }
    return copy;
  };
  const root = copyOf(value);
  while (todo.length > 0) {
    const source = todo.pop()!;
    const target = copies.get(source)!;
    if (Array.isArray(source)) {
      const out = target as unknown[];
      for (let i = 0; i < source.length; i++) {
        const v: unknown = source[i];
        if (v === undefined && !(i in source)) out.length = i + 1;
        else out.push(typeof v === "object" && v !== null ? copyOf(v) : v);
      }
      // Trailing holes (`a.length = 5`) are kept too.
      out.length = source.length;
      continue;
    }
    for (const key of Object.keys(source)) {
      const v = (source as Record<string, unknown>)[key];
      setOwn(target, key, typeof v === "object" && v !== null ? copyOf(v) : v);
    }
  }
  return root as T;
}
