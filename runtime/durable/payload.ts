import type { Json } from "../../ir-schema/index.ts";

/** A value that cannot cross the database: not JSON, or over the size limit. */
export class PayloadError extends Error {
  override name = "PayloadError";
}

/**
 * Converts `value` to the JSON that will be stored, refusing what JSON would
 * silently lose (functions, symbols) or cannot hold (BigInt, cycles), and anything
 * over `maxBytes`. Keys such as `__proto__` survive as plain own data: `JSON.parse`
 * defines them, it never assigns prototypes.
 */
export function checkPayload(value: unknown, maxBytes: number, what: string): Json {
  let text: string | undefined;
  try {
    text = JSON.stringify(value, function (key, v: unknown) {
      const t = typeof v;
      if (t === "function" || t === "symbol" || t === "bigint") {
        const where = key === "" ? "" : ` at key '${key}'`;
        throw new PayloadError(`${what} is not JSON: it contains a ${t}${where}`);
      }
      return v;
    });
  } catch (err) {
    if (err instanceof PayloadError) throw err;
    const circular = /circular/i.test((err as Error).message);
    throw new PayloadError(`${what} is not JSON: ${circular ? "it contains a circular reference" : (err as Error).message}`);
  }
  if (text === undefined) return null;
  const bytes = Buffer.byteLength(text);
  if (bytes > maxBytes) throw new PayloadError(`${what} is ${bytes} bytes of JSON, over the limit of ${maxBytes}`);
  return JSON.parse(text) as Json;
}
