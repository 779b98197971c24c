import type { AnyFunction } from "../api/action.ts";
import { runWithActionContext, type ActionContext } from "../api/context.ts";
import { ActionTimeoutError } from "../api/errors.ts";
import { fileURLToPath } from "node:url";
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
  } catch (err) {
    // What the action threw (a timeout's own error has none of the action's frames to cut).
    withoutRuntimeFrames(err);
    throw err;
  } finally {
    cancelTimer?.();
    if (controller) parent?.removeEventListener("abort", onParentAbort);
  }
}

/**
 * Where cairn's own code lives: this file's folder's parent (runtime/ in the
 * sources, dist/ in the package), as a path and as the file URL ES modules'
 * frames show.
 */
const OWN_CODE = new URL("..", import.meta.url);
const OWN_PATHS = [fileURLToPath(OWN_CODE), OWN_CODE.href];
const FRAME = /^\s*at\s/;

/**
 * Cuts a thrown Error's stack where, below the action's own frames, cairn's begin
 * (the action wrapper, this attempt, async hooks, the worker): they tell whoever
 * reads the stored stack nothing, and there were more of them than of the
 * action's. An error thrown by cairn's code that the action called keeps its top
 * frames: the cut is at the first of cairn's frames after one of the action's.
 */
function withoutRuntimeFrames(err: unknown): void {
  try {
    if (!(err instanceof Error) || typeof err.stack !== "string") return;
    const lines = err.stack.split("\n");
    let seenOwn = false;
    for (const [i, line] of lines.entries()) {
      if (!FRAME.test(line)) continue;
      const cairn = OWN_PATHS.some((p) => line.includes(p));
      if (!cairn) seenOwn = true;
      else if (seenOwn) {
        err.stack = lines.slice(0, i).join("\n");
        return;
      }
    }
  } catch {
    // A stack that cannot be read or written (a getter that throws, a frozen error) stays as it is.
  }
}
