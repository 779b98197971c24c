import type { Duration } from "./duration.ts";
import type { RetryOptions, RetryPolicy } from "./retry.ts";

export { normalizeCallOptions, type NormalizedCallOptions } from "../../ir-schema/call-options.ts";

/** Per-call options: `runAction(call, { retry, timeout })`; its keys are CallOptionKeys, which the compiler reads too. */
export interface CallOptions {
  retry?: RetryPolicy | RetryOptions;
  timeout?: Duration;
}
