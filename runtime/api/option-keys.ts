/**
 * The checks call options and retry policies share: their keys come from the
 * authoring vocabulary (ir-schema/vocabulary.ts), which the compiler reads too.
 */

/** `{ a?, b? }`: the shape an options object takes, for messages. */
export function shapeOf(keys: readonly string[]): string {
  return `{ ${keys.map((k) => `${k}?`).join(", ")} }`;
}

/** Throws on the first key of `o` that is none of `keys` ("unknown call option 'x'; expected retry or timeout"). */
export function checkKeys(o: object, keys: readonly string[], what: string): void {
  for (const key of Object.keys(o)) {
    if (!keys.includes(key)) {
      const expected = keys.length > 1 ? `${keys.slice(0, -1).join(", ")} or ${keys.at(-1)}` : keys.join("");
      throw new TypeError(`unknown ${what} '${key}'; expected ${expected}`);
    }
  }
}
