import type { Duration } from "./duration.ts";
import { normalizeRetry, RETRY_POLICY_DEFAULT_ATTEMPTS } from "../../ir-schema/call-options.ts";

export {
  DEFAULT_RETRY, RETRY_POLICY_DEFAULT_ATTEMPTS, normalizeRetry, isNonRetryable, resolveRetry, backoffDelay, type ResolvedRetry,
} from "../../ir-schema/call-options.ts";

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
