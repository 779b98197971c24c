/**
 * One attempt of a claimed task, as a worker runs it: the outcome, never an
 * exception, whatever the action does (throws anything, hangs past its timeout,
 * returns what cannot be stored).
 */
import { context as otelContext, type Context } from "@opentelemetry/api";
import type { Json } from "../../ir-schema/index.ts";
import { isNonRetryable, type ResolvedRetry } from "../api/retry.ts";
import { errorFromThrown, isErrorValue, makeError, type ErrorValue } from "../interpreter/errors.ts";
import { runAttempt } from "../runner/attempt.ts";
import { decodeWire } from "../payload.ts";
import type { Engine } from "./engine.ts";
import type { TaskRow } from "./queries.ts";

/** `final`: no further attempt, whatever the retry policy leaves. */
export type AttemptOutcome = { ok: true; value: Json } | { ok: false; error: ErrorValue; final: boolean };

export async function runTaskAttempt(
  task: TaskRow,
  fn: ((...args: unknown[]) => unknown) | undefined,
  options: { signal: AbortSignal; timeoutMs: number | undefined; policy: ResolvedRetry; engine: Engine; trace: Context | undefined },
): Promise<AttemptOutcome> {
  const { instance_id: instanceId, call_id: callId, action, attempt } = task;
  const { engine } = options;
  let value: unknown;
  try {
    if (!fn) throw new Error(`this worker has no action '${action}'`);
    const args = decodeWire(task.args);
    if (!Array.isArray(args)) throw new Error(`the arguments of call '${callId}' are stored as something other than a list`);
    const attemptOptions = {
      context: { workflowId: instanceId, actionId: callId, attempt, idempotencyKey: `${instanceId}:${callId}` },
      timeoutMs: options.timeoutMs,
      parent: options.signal,
      action,
    };
    // In the attempt's span: what the action traces (an HTTP call, a query) nests under it.
    value = await (options.trace ? otelContext.with(options.trace, () => runAttempt(fn, args, attemptOptions)) : runAttempt(fn, args, attemptOptions));
  } catch (err) {
    // Only the converted error is inspected: even `instanceof` on what an action threw can throw.
    const error = errorFromThrown(err, engine.maxErrorBytes);
    return { ok: false, error, final: isNonRetryable(error, options.policy) };
  }
  try {
    return { ok: true, value: engine.checkResult(action, value) as Json };
  } catch (err) {
    // A result that cannot be stored would fail identically on every retry.
    return { ok: false, error: errorFromThrown(err, engine.maxErrorBytes), final: true };
  }
}

/**
 * A task claimed again after its last attempt was interrupted (its worker stopped
 * or died): no attempts are left, so it fails with the interruption.
 */
export function exhaustedOutcome(task: TaskRow, policy: ResolvedRetry): AttemptOutcome {
  const last = task.last_error as unknown;
  const error = isErrorValue(last)
    ? last
    : makeError("WorkerStoppedError", `attempt ${task.attempt - 1} of action '${task.action}' was interrupted and it had no attempts left`);
  return { ok: false, error: { ...error, message: `${error.message} (attempt ${task.attempt - 1} of ${policy.attempts}, no attempts left)` }, final: true };
}
