import { parseDuration } from "../runtime/api/duration.ts";
import { UsageError } from "./exit-codes.ts";

/**
 * A duration flag in milliseconds (a number of ms, or "250ms", "30s", "5m", "2h",
 * "7d"); `0` is allowed where it means "none". A usage error names the flag.
 */
export function durationFlag(flag: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  let ms: number;
  try {
    ms = parseDuration(/^\d+(\.\d+)?$/.test(value) ? Number(value) : value, flag);
  } catch (err) {
    throw new UsageError((err as Error).message.replace(/^invalid /, "--"));
  }
  if (ms !== 0 && ms < min) throw new UsageError(`--${flag} must be at least ${min}ms, not ${value}`);
  return ms;
}
