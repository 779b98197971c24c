/**
 * `String(value)`, natively: an error (an ErrorObject) renders itself as
 * `Error.prototype.toString` would, and state holds no functions, so no user code runs.
 */
export function toStr(value: unknown): string {
  return String(value);
}

/** Truthiness as in JavaScript. */
export const truthy = (value: unknown): boolean => Boolean(value);
