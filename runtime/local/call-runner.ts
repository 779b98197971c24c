import type { Action } from "../api/action.ts";
import { backoffDelay, isNonRetryable, resolveRetry, type ResolvedRetry } from "../api/retry.ts";
import { errorFromThrown, makeError, type ErrorValue } from "../interpreter/errors.ts";
import type { Dispatch, Outcome } from "../interpreter/state.ts";
import { runAttempt } from "../runner/attempt.ts";
import type { Clock } from "../runner/clock.ts";
import type { LocalEvent } from "./events.ts";
import type { Json } from "../../ir-schema/index.ts";
import { checkPayload, PayloadError } from "../payload.ts";

export interface CallEnv {
  workflowId: string;
  actions: ReadonlyMap<string, Action>;
  clock: Clock;
  defaultRetry: ResolvedRetry;
  /** Aborted when the run ends: in-flight attempts are aborted, pending retries dropped. */
  stop: AbortSignal;
  emit: (event: LocalEvent) => void;
}

type AttemptResult = Outcome | { ok: false; error: ErrorValue; final: true };

/** Runs one call to its outcome: attempts with timeouts, backoff between them. */
export async function runCall(d: Dispatch, env: CallEnv): Promise<Outcome> {
  const fn = env.actions.get(d.action);
  if (!fn) return { ok: false, error: makeError("Error", `action '${d.action}' was not provided`) };
  const policy = resolveRetry(d.options.retry, env.defaultRetry);
  const base = { callId: d.callId, action: d.action };
  for (let attempt = 1; ; attempt++) {
    env.emit({ type: "attempt", at: env.clock.now(), ...base, attempt });
    const result = await attemptOnce(fn, d, attempt, env);
    const done = result.ok || "final" in result || isNonRetryable(result.error, policy) || attempt >= policy.attempts || env.stop.aborted;
    if (done) {
      env.emit({ type: "resolve", at: env.clock.now(), ...base, attempts: attempt, ok: result.ok, ...(result.ok ? {} : { error: result.error }) });
      return result.ok ? result : { ok: false, error: result.error };
    }
    const delay = backoffDelay(policy, attempt);
    env.emit({ type: "retry", at: env.clock.now(), ...base, attempt, delay, error: result.error });
    await env.clock.sleepUntil(env.clock.now() + delay, env.stop);
  }
}

async function attemptOnce(fn: Action, d: Dispatch, attempt: number, env: CallEnv): Promise<AttemptResult> {
  let value: unknown;
  try {
    value = await runAttempt(fn, d.args, {
      action: d.action,
      context: { workflowId: env.workflowId, actionId: d.callId, attempt, idempotencyKey: `${env.workflowId}:${d.callId}` },
      timeoutMs: d.options.timeout,
      parent: env.stop,
      // Timeouts bound an action's real running time, so they use the real clock even
      // when sleeps and backoffs run on a virtual one: a virtual clock jumps ahead while
      // the action is busy, and would time out work that is well within its limit.
    });
  } catch (thrown) {
    return { ok: false, error: errorFromThrown(thrown) };
  }
  let json: Json | undefined;
  try {
    json = checkPayload(value, `result of action '${d.action}'`, "result") as Json | undefined;
  } catch (err) {
    // A result JSON cannot carry is a bug in the action, not a transient failure: no retry.
    if (err instanceof PayloadError) return { ok: false, final: true, error: makeError(err.name, err.message) };
    throw err;
  }
  return json === undefined ? { ok: true } : { ok: true, value: json };
}
