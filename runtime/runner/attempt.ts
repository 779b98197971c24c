import type { AnyFunction } from "../api/action.ts";
import { runWithActionContext, type ActionContext } from "../api/context.ts";
import { ActionTimeoutError } from "../api/errors.ts";
import { realClock, type Clock } from "./clock.ts";

export interface AttemptOptions {
  /** The action's durable name (for the timeout message). */
  action: string;
  /** What `actionContext()` returns inside the attempt, minus the signal made here. */
  context: Omit<ActionContext, "signal">;
  timeoutMs?: number;
  /** Aborting it aborts the attempt's signal (runner shutdown, workflow finished). */
  parent?: AbortSignal;
  clock?: Clock;
}

const ATTEMPT_OVER = "attempt over";

/**
 * One attempt of one action: runs `fn(...args)` under its action context with a
 * fresh copy of the arguments, and resolves with the raw result or rejects with
 * what it threw. When `timeoutMs` elapses first, the attempt's signal is aborted
 * with an `ActionTimeoutError` and the attempt rejects with it (the action itself
 * cannot be killed; its late result is ignored). Shared by `runLocal` and workers.
 */
export async function runAttempt(fn: AnyFunction, args: readonly unknown[], options: AttemptOptions): Promise<unknown> {
  const { parent, timeoutMs } = options;
  // Without a timeout the attempt's signal is its parent's: nothing else aborts it.
  const controller = timeoutMs === undefined && parent ? null : new AbortController();
  const onParentAbort = () => controller?.abort(parent?.reason);
  if (controller && parent) {
    if (parent.aborted) onParentAbort();
    else parent.addEventListener("abort", onParentAbort);
  }
  const ctx: ActionContext = { ...options.context, signal: controller?.signal ?? parent! };
  // Each attempt gets its own copy: an action mutating its arguments must not affect a retry.
  const copy = structuredClone(args) as unknown[];
  let timerStop: AbortController | undefined;
  const running = new Promise<unknown>((resolve) => resolve(runWithActionContext(ctx, () => fn(...copy))));
  try {
    if (timeoutMs === undefined) return await running;
    timerStop = new AbortController();
    const clock = options.clock ?? realClock();
    const timedOut = clock.sleepUntil(clock.now() + timeoutMs, timerStop.signal).then(() => {
      if (timerStop!.signal.aborted) return;
      const error = new ActionTimeoutError(`action '${options.action}' timed out after ${timeoutMs}ms`, { action: options.action, timeoutMs });
      controller!.abort(error);
      throw error;
    });
    return await Promise.race([running, timedOut]);
  } finally {
    // A reason, so that no DOMException (and its stack trace) is made per attempt.
    timerStop?.abort(ATTEMPT_OVER);
    parent?.removeEventListener("abort", onParentAbort);
  }
}
