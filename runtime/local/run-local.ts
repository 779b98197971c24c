import { randomUUID } from "node:crypto";
import { assertArtifact } from "../../ir-schema/index.ts";
import { artifactOf, type WorkflowLike } from "../api/compiled.ts";
import { DEFAULT_RETRY, normalizeRetry, resolveRetry, type RetryOptions } from "../api/retry.ts";
import { advance, isReady, resolve, start } from "../interpreter/machine.ts";
import type { Outcome, State } from "../interpreter/state.ts";
import { errorFromThrown } from "../interpreter/errors.ts";
import { stateFromJson, stateToJson } from "../interpreter/codec.ts";
import { WorkflowError } from "../workflow-error.ts";
import { checkArgs, checkResultOf, PayloadError } from "../payload.ts";
import type { Json } from "../../ir-schema/index.ts";
import { actionsCalled, collectActions, type ActionSource } from "./actions.ts";
import { runCall, type CallEnv } from "./call-runner.ts";
import { realClock, type Clock } from "./clock.ts";
import type { LocalEvent } from "./events.ts";
import { Inbox } from "./inbox.ts";
import { writeLog } from "./log-output.ts";

export interface RunLocalOptions {
  /** An iterable of actions, or an object whose action-wrapped values are taken (e.g. a module namespace). */
  actions: ActionSource;
  /** Default: real time. `virtualClock()` makes sleeps and backoffs instant. */
  clock?: Clock;
  /** Retry policy of calls without one; default { attempts: 3, delay: 1000, factor: 2, maxDelay: 60000 }. */
  defaultRetry?: RetryOptions;
  onEvent?: (event: LocalEvent) => void;
  /** Reported to actions by `actionContext()`; default: a fresh id. */
  workflowId?: string;
}

/**
 * Runs a workflow in memory to completion with the real action functions. At every
 * suspension the state is round-tripped through JSON and the run continues from the
 * copy, so anything that would not survive persistence fails here too.
 *
 * Resolves with the return value (as JSON carries it); rejects with a
 * `WorkflowError` for an error that escaped the workflow.
 */
export async function runLocal(workflow: WorkflowLike, input: Record<string, unknown>, options: RunLocalOptions): Promise<unknown> {
  const given = artifactOf(workflow);
  const artifact = assertArtifact(given, `workflow artifact ${given?.name ?? ""}`.trim());
  const actions = collectActions(options.actions);
  for (const name of actionsCalled(artifact)) {
    if (!actions.has(name)) throw new Error(`workflow ${artifact.name} calls action '${name}', which was not provided`);
  }
  const clock = options.clock ?? realClock();
  const stop = new AbortController();
  // Calls still running when the workflow ends are aborted; their late events are not news.
  const emit = (event: LocalEvent) => {
    if (!stop.signal.aborted) options.onEvent?.(event);
  };
  const env: CallEnv = {
    workflowId: options.workflowId ?? `${artifact.name}-${randomUUID()}`,
    actions,
    clock,
    defaultRetry: resolveRetry(options.defaultRetry ? normalizeRetry(options.defaultRetry) : undefined, DEFAULT_RETRY),
    stop: stop.signal,
    emit,
  };
  const inbox = new Inbox();
  let state: State = start(artifact, input);
  try {
    for (;;) {
      const { dispatch, logs } = advance(artifact, state, clock.now());
      for (const entry of logs) writeLog(artifact.name, entry);
      for (const d of dispatch) {
        // The same check as a durable step's: arguments that cannot be stored fail the run.
        payloadOrFail(() => checkArgs(d.action, d.callId, d.args), emit, clock);
        emit({ type: "dispatch", at: clock.now(), callId: d.callId, action: d.action, args: d.args });
        void runCall(d, env)
          .catch((thrown: unknown): Outcome => ({ ok: false, error: errorFromThrown(thrown) }))
          .then((outcome) => inbox.push({ callId: d.callId, outcome }));
      }
      if (state.status === "completed") {
        const result = payloadOrFail(() => checkResultOf(artifact.name, state.result), emit, clock);
        emit({ type: "complete", at: clock.now(), ...(result === undefined ? {} : { result: result as Json }) });
        return result;
      }
      if (state.status === "failed") {
        emit({ type: "fail", at: clock.now(), error: state.error! });
        throw new WorkflowError(state.error!);
      }
      // Continue from a reloaded copy: proves the state alone carries the run.
      state = stateFromJson(JSON.parse(JSON.stringify(stateToJson(state))));
      if (state.wait?.kind === "sleep") emit({ type: "sleep", at: clock.now(), until: state.wait.until });
      await waitUntilReady(state, inbox, clock, stop.signal);
    }
  } finally {
    stop.abort();
  }
}

/** The checked payload, or the run fails with the PayloadError, as a durable step would. */
function payloadOrFail<T>(check: () => T, emit: (e: LocalEvent) => void, clock: Clock): T {
  try {
    return check();
  } catch (err) {
    if (!(err instanceof PayloadError)) throw err;
    const error = errorFromThrown(err);
    emit({ type: "fail", at: clock.now(), error });
    throw new WorkflowError(error);
  }
}

/** Records arriving outcomes until the workflow can move: its await is satisfied or its sleep is over. */
async function waitUntilReady(state: State, inbox: Inbox, clock: Clock, stop: AbortSignal): Promise<void> {
  let sleeping: Promise<void> | undefined;
  for (;;) {
    for (const { callId, outcome } of inbox.drain()) resolve(state, callId, outcome);
    if (isReady(state, clock.now())) return;
    const wait = state.wait;
    if (wait?.kind === "sleep") sleeping ??= clock.sleepUntil(wait.until, stop);
    await Promise.race(sleeping ? [inbox.next(), sleeping] : [inbox.next()]);
  }
}
