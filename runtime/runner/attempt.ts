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

/**
 * One attempt of one action: runs `fn(...args)` under its action context with a
 * fresh copy of the arguments, and resolves with the raw result or rejects with
 * what it threw. When `timeoutMs` elapses first, the attempt's signal is aborted
 * with an `ActionTimeoutError` and the attempt rejects with it (the action itself
 * cannot be killed; its late result is ignored). Shared by `runLocal` and workers.
 */
export async function runAttempt(fn: AnyFunction, args: readonly unknown[], options: AttemptOptions): Promise<unknown> {
  const { parent, timeoutMs } = options;
  let controller: AbortController | undefined;
  let timedOut: ActionTimeoutError | undefined;
  const onParentAbort = () => controller!.abort(parent!.reason);
  // The attempt's signal is made when the action first asks for it: most never do,
  // and a controller with its listener on the parent cost more than the rest of an
  // attempt's bookkeeping. Without a timeout it is the parent's own signal.
  const signal = (): AbortSignal => {
    if (timeoutMs === undefined && parent) return parent;
    if (!controller) {
      controller = new AbortController();
      if (timedOut) controller.abort(timedOut);
      else if (parent?.aborted) controller.abort(parent.reason);
      else parent?.addEventListener("abort", onParentAbort);
    }
    return controller.signal;
  };
  const ctx = Object.defineProperty({ ...options.context }, "signal", { get: signal, enumerable: true }) as ActionContext;
  // Each attempt gets its own copy: an action mutating its arguments must not affect a retry.
  const copy = structuredClone(args) as unknown[];
  const running = new Promise<unknown>((resolve) => resolve(runWithActionContext(ctx, () => fn(...copy))));
  let cancelTimer: (() => void) | undefined;
  try {
    if (timeoutMs === undefined) return await running;
    const clock = options.clock ?? realClock();
    const timer = new Promise<never>((_, reject) => {
      cancelTimer = clock.after(clock.now() + timeoutMs, () => {
        timedOut = new ActionTimeoutError(`action '${options.action}' timed out after ${timeoutMs}ms`, { action: options.action, timeoutMs });
        controller?.abort(timedOut);
        reject(timedOut);
      });
    });
    return await Promise.race([running, timer]);
  } finally {
    cancelTimer?.();
    if (controller) parent?.removeEventListener("abort", onParentAbort);
  }
}
