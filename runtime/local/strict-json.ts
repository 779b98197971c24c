import type { Json } from "../../ir-schema/index.ts";

/**
 * The value as it will cross JSON, or a description of why it cannot: JSON.stringify
 * would silently drop functions and throw an unhelpful error on BigInt and cycles.
 * `toJSON` (e.g. on Date) is honoured as JSON.stringify honours it.
 */
export function checkJson(value: unknown): { ok: true; value: Json | undefined } | { ok: false; problem: string } {
  const problem = findProblem(value, "result", new Set());
  if (problem) return { ok: false, problem };
  const text = JSON.stringify(value);
  return { ok: true, value: text === undefined ? undefined : (JSON.parse(text) as Json) };
}

function findProblem(value: unknown, path: string, stack: Set<object>): string | undefined {
  if (typeof value === "function") return `a function at ${path}`;
  if (typeof value === "bigint") return `a BigInt at ${path}`;
  if (typeof value === "symbol") return `a symbol at ${path}`;
  if (typeof value !== "object" || value === null) return undefined;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return findProblem(toJSON.call(value), path, stack);
  if (stack.has(value)) return `a circular reference at ${path}`;
  stack.add(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = findProblem(value[i], `${path}[${i}]`, stack);
        if (p) return p;
      }
      return undefined;
    }
    for (const key of Object.keys(value)) {
      const p = findProblem((value as Record<string, unknown>)[key], `${path}.${key}`, stack);
      if (p) return p;
    }
    return undefined;
  } finally {
    stack.delete(value);
  }
}
