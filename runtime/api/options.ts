import { parseDuration, type Duration } from "./duration.ts";
import { normalizeRetry, type ResolvedRetry, type RetryOptions } from "./retry.ts";
import type { RetryPolicy } from "./retry.ts";

/** Per-call options: `runAction(call, { retry, timeout })`. */
export interface CallOptions {
  retry?: RetryPolicy | RetryOptions;
  timeout?: Duration;
}

/** Call options in numbers; an omitted retry field means "the runner's default". */
export interface NormalizedCallOptions {
  retry?: Partial<ResolvedRetry>;
  timeout?: number;
}

/** Validates call options (also plain JSON read from IR state) and converts durations to ms. */
export function normalizeCallOptions(value: unknown): NormalizedCallOptions {
  if (value === undefined || value === null) return {};
  if (typeof value !== "object" || Array.isArray(value)) {
    throw new TypeError(`invalid call options ${JSON.stringify(value) ?? String(value)}: expected { retry?, timeout? }`);
  }
  const o = value as Record<string, unknown>;
  for (const key of Object.keys(o)) {
    if (key !== "retry" && key !== "timeout") throw new TypeError(`unknown call option '${key}'; expected retry or timeout`);
  }
  const out: NormalizedCallOptions = {};
  if (o.retry !== undefined) out.retry = normalizeRetry(o.retry);
  if (o.timeout !== undefined) out.timeout = parseDuration(o.timeout, "timeout");
  return out;
}
