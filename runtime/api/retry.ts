import { parseDuration, type Duration } from "./duration.ts";
import { RetryOptionKeys } from "../../ir-schema/vocabulary.ts";
import { checkKeys, shapeOf } from "./option-keys.ts";

/** The shape accepted wherever a retry policy is: a plain object or a `RetryPolicy`; its keys are RetryOptionKeys. */
export interface RetryOptions {
  /** Total tries, including the first (1 = no retry). */
  attempts?: number;
  /** First backoff delay. */
  delay?: Duration;
  /** Upper bound of any backoff delay. */
  maxDelay?: Duration;
  /** Each delay is the previous one times `factor`. */
  factor?: number;
  /**
   * Errors that fail the call at once, however many attempts are left: error
   * classes (matched by class ancestry, as `catch` with `instanceof` matches) or
   * their names.
   */
  nonRetryable?: ReadonlyArray<ErrorClassRef>;
}

/** An error class, or its name. */
export type ErrorClassRef = string | (abstract new (...args: never[]) => Error);

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

/**
 * A retry policy. Unlike a plain object, an omitted `attempts` means 100 (a policy
 * was asked for explicitly, so it should retry); other omitted fields take the
 * runner's defaults.
 */
export class RetryPolicy implements RetryOptions {
  readonly attempts: number;
  readonly delay?: Duration;
  readonly maxDelay?: Duration;
  readonly factor?: number;
  readonly nonRetryable?: readonly string[];

  constructor(options: RetryOptions = {}) {
    const partial = normalizeRetry(options);
    this.attempts = partial.attempts ?? RETRY_POLICY_DEFAULT_ATTEMPTS;
    if (options.delay !== undefined) this.delay = options.delay;
    if (options.maxDelay !== undefined) this.maxDelay = options.maxDelay;
    if (options.factor !== undefined) this.factor = options.factor;
    if (partial.nonRetryable !== undefined) this.nonRetryable = partial.nonRetryable;
  }
}

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
