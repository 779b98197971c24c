import { isErrorValue } from "../errors.ts";

/**
 * `String(value)`. Error values are plain objects in state, so they are rendered
 * the way `Error.prototype.toString` would render the error they stand for.
 */
export function toStr(value: unknown): string {
  if (isErrorValue(value)) return value.message ? `${value.name}: ${value.message}` : value.name;
  return String(value);
}

/** Truthiness as in JavaScript. */
export const truthy = (value: unknown): boolean => Boolean(value);
