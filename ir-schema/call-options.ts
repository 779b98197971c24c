/**
 * What the option values of the authoring API mean, in numbers: call options
 * (`{ retry, timeout }`) and retry policies, as a workflow's program evaluates them
 * at run time and as runners apply them. Defined here, beside the vocabulary their
 * keys come from, so the interpreter and both runners read options without
 * depending on the authoring API (runtime/api), which re-exports these.
 */
import { CallOptionKeys, RetryOptionKeys } from "./vocabulary.ts";
import { parseDuration } from "./duration.ts";

/** A fully specified retry policy, in numbers (milliseconds). */
export interface ResolvedRetry {
  attempts: number;
  delay: number;
  maxDelay: number;
  factor: number;
  /** Class names of errors that are not retried. */
  nonRetryable: readonly string[];
}

/** Per-worker default for a call with no retry option. */
export const DEFAULT_RETRY: Readonly<ResolvedRetry> = Object.freeze({ attempts: 3, delay: 1000, factor: 2, maxDelay: 60_000, nonRetryable: Object.freeze([]) as readonly string[] });

/** `attempts` of a `RetryPolicy` constructed without one: retry "practically forever". */
export const RETRY_POLICY_DEFAULT_ATTEMPTS = 100;

/** Validates a retry option and converts durations to milliseconds; omitted fields stay omitted. */
export function normalizeRetry(value: unknown): Partial<ResolvedRetry> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TypeError(`invalid retry option ${JSON.stringify(value) ?? String(value)}: expected ${shapeOf(RetryOptionKeys)}`);
  }
  const o = value as Record<string, unknown>;
  checkKeys(o, RetryOptionKeys, "retry option");
  const out: Partial<ResolvedRetry> = {};
  if (o.attempts !== undefined) {
    if (typeof o.attempts !== "number" || !Number.isInteger(o.attempts) || o.attempts < 1) {
      throw new TypeError(`invalid retry attempts ${String(o.attempts)}: expected an integer >= 1 (total tries)`);
    }
    out.attempts = o.attempts;
  }
  if (o.delay !== undefined) out.delay = parseDuration(o.delay, "retry delay");
  if (o.maxDelay !== undefined) out.maxDelay = parseDuration(o.maxDelay, "retry maxDelay");
  if (o.factor !== undefined) {
    if (typeof o.factor !== "number" || !Number.isFinite(o.factor) || o.factor < 1) {
      throw new TypeError(`invalid retry factor ${String(o.factor)}: expected a number >= 1`);
    }
    out.factor = o.factor;
  }
  if (o.nonRetryable !== undefined) out.nonRetryable = errorClassNames(o.nonRetryable);
  return out;
}

function errorClassNames(value: unknown): string[] {
  if (!Array.isArray(value)) throw new TypeError("invalid retry nonRetryable: expected a list of error classes");
  return value.map((c) => {
    if (typeof c === "string" && c !== "") return c;
    if (typeof c === "function" && c.name) return c.name;
    throw new TypeError(`invalid retry nonRetryable entry ${typeof c === "function" ? "(an anonymous class)" : String(c)}: expected an error class or its name`);
  });
}

/**
 * Whether `error` (an error value: its name and class chain) is one the policy does
 * not retry. A thrown value that is not an Error (empty class chain) is no class's instance.
 */
export function isNonRetryable(error: { name: string; ancestry: readonly string[] }, policy: ResolvedRetry): boolean {
  if (error.ancestry.length === 0) return false;
  return policy.nonRetryable.some((n) => error.name === n || error.ancestry.includes(n));
}

/** Fills omitted fields from `defaults`. */
export function resolveRetry(partial: Partial<ResolvedRetry> | undefined, defaults: ResolvedRetry = DEFAULT_RETRY): ResolvedRetry {
  return { ...defaults, ...partial };
}

/** Delay before try number `attempt + 1`, after try number `attempt` (1-based) failed. */
export function backoffDelay(policy: ResolvedRetry, attempt: number): number {
  return Math.min(policy.delay * policy.factor ** (attempt - 1), policy.maxDelay);
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
