import type { Json } from "../ir-schema/index.ts";

/** A value that cannot cross the database: not JSON, or over the size limit. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/**
 * Converts `value` to the JSON that will be stored, refusing what JSON would
 * silently lose (functions, symbols) or cannot hold (BigInt, cycles), and anything
 * over `maxBytes`. `what` names the value in the message ("result of action 'x'"),
 * `root` starts the path to the offending part ("result" gives `result.items[2].f`).
 * Keys such as `__proto__` survive as plain own data: `JSON.parse` defines them, it
 * never assigns prototypes. The durable runtime and the local runner both check
 * here, so a payload fails the same way, in the same words, in tests and in
 * production.
 */
export function checkPayload(value: unknown, what: string, root: string, maxBytes = Infinity): Json | undefined {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, refuseLossy);
  } catch (err) {
    // Only now the walk that says where: the common, clean payload pays for one pass.
    throw new PayloadError(`${what} is not JSON: ${jsonProblem(value, root) ?? (err instanceof Error ? err.message : String(err))}`);
  }
  if (text === undefined) return undefined;
  if (maxBytes !== Infinity) {
    const bytes = Buffer.byteLength(text);
    if (bytes > maxBytes) throw new PayloadError(`${what} is ${bytes} bytes of JSON, over the limit of ${maxBytes}`);
  }
  return JSON.parse(text) as Json;
}

/** A JSON.stringify replacer that throws on what JSON.stringify would drop or choke on. */
function refuseLossy(this: unknown, _key: string, value: unknown): unknown {
  const t = typeof value;
  if (t === "function" || t === "symbol" || t === "bigint") throw new TypeError(`a ${t}`);
  return value;
}

/** What is wrong, and the keys leading to it, innermost first (collected on the way out, so a clean walk builds no paths). */
interface Problem {
  what: "function" | "bigint" | "symbol" | "cycle";
  keys: Array<string | number>;
}

/**
 * Why `value` cannot cross JSON unchanged, or undefined when it can, naming where
 * as a path from `root` (a replacer sees only the key). `toJSON` (Date's) is
 * honoured as JSON.stringify honours it.
 */
function jsonProblem(value: unknown, root: string): string | undefined {
  let problem: Problem | undefined;
  try {
    problem = find(value, new Set());
  } catch (err) {
    if (err instanceof RangeError) return "it is nested too deeply";
    return `turning it into JSON threw: ${err instanceof Error ? err.message : String(err)}`;
  }
  if (!problem) return undefined;
  const path = root + problem.keys.reverse().map((k) => (typeof k === "number" ? `[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `.${k}` : `[${JSON.stringify(k)}]`)).join("");
  if (problem.what === "cycle") return `it contains a circular reference at ${path}`;
  return problem.keys.length === 0 ? `it is a ${problem.what}` : `it contains a ${problem.what} at ${path}`;
}

function find(value: unknown, stack: Set<object>): Problem | undefined {
  const t = typeof value;
  if (t === "function" || t === "bigint" || t === "symbol") return { what: t, keys: [] };
  if (t !== "object" || value === null) return undefined;
  const toJSON = (value as { toJSON?: unknown }).toJSON;
  if (typeof toJSON === "function") return find(toJSON.call(value), stack);
  if (stack.has(value as object)) return { what: "cycle", keys: [] };
  stack.add(value as object);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const p = find(value[i], stack);
        if (p) return p.keys.push(i), p;
      }
      return undefined;
    }
    for (const key of Object.keys(value as object)) {
      const p = find((value as Record<string, unknown>)[key], stack);
      if (p) return p.keys.push(key), p;
    }
    return undefined;
  } finally {
    stack.delete(value as object);
  }
}
