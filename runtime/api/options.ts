import { parseDuration, type Duration } from "./duration.ts";
import { normalizeRetry, type ResolvedRetry, type RetryOptions } from "./retry.ts";
import type { RetryPolicy } from "./retry.ts";
import { CallOptionKeys } from "../../ir-schema/vocabulary.ts";
import { checkKeys, shapeOf } from "./option-keys.ts";

/** Per-call options: `runAction(call, { retry, timeout })`; its keys are CallOptionKeys, which the compiler reads too. */
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
    throw new TypeError(`invalid call options ${JSON.stringify(value) ?? String(value)}: expected ${shapeOf(CallOptionKeys)}`);
  }
  const o = value as Record<string, unknown>;
  checkKeys(o, CallOptionKeys, "call option");
  const out: NormalizedCallOptions = {};
  if (o.retry !== undefined) out.retry = normalizeRetry(o.retry);
  if (o.timeout !== undefined) out.timeout = parseDuration(o.timeout, "timeout");
  return out;
}
