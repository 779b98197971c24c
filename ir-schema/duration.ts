/**
 * Durations, as workflows, actions and schedules write them. The parser lives in
 * ir-schema/ because the compiler checks the intervals of schedules with it too,
 * and the compiler must not load the runtime.
 */
/** A duration: milliseconds, or a string like "250ms", "1.5s", "30s", "5m", "2h", "1d". */
export type Duration = number | string;

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const PATTERN = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)\s*$/;

/** Milliseconds of a duration, or a `TypeError` explaining the accepted forms. */
export function parseDuration(value: unknown, what = "duration"): number {
  if (typeof value === "number") {
    if (Number.isFinite(value) && value >= 0) return value;
    throw new TypeError(`invalid ${what} ${String(value)}: expected a non-negative number of milliseconds`);
  }
  if (typeof value === "string") {
    const m = PATTERN.exec(value);
    if (m) return Number(m[1]) * UNIT_MS[m[2]];
  }
  throw new TypeError(
    `invalid ${what} ${JSON.stringify(value) ?? String(value)}: expected milliseconds or a string like "250ms", "30s", "5m", "2h", "1d"`,
  );
}
