/**
 * The tasks every worker runs besides its actions (ir-schema SystemActions): the
 * answer of a receive (its message, or null after its timeout), of a child (its
 * outcome), and an in-workflow send. The first two were made ready with their
 * answer in `args` by the database (deliver(), a receive's timeout, a child's
 * end), so applying them takes the same path as an action's outcome: leases,
 * group commit, the step that follows.
 */
import type { Json } from "../../ir-schema/index.ts";
import { SystemActions } from "../../ir-schema/vocabulary.ts";
import { errorFromThrown, isErrorValue, makeError } from "../interpreter/errors.ts";
import { decodeWire } from "../payload.ts";
import type { Engine } from "./engine.ts";
import { isTransient } from "./fault.ts";
import type { TaskRow } from "./queries.ts";
import type { AttemptOutcome } from "./task-attempt.ts";

/** Every worker claims these, whatever actions it has. */
export const SYSTEM_ACTIONS: readonly string[] = Object.values(SystemActions);

export async function runSystemTask(task: TaskRow, engine: Engine): Promise<AttemptOutcome> {
  const args = task.args as Json[];
  switch (task.action) {
    case SystemActions.receive:
      // [topic, message, seq] once matched; [topic, null, null] after the timeout.
      return { ok: true, value: args[1] === null || args[1] === undefined ? null : (decodeWire(args[1]) as Json) };
    case SystemActions.child:
      return childOutcome(task, args);
    case SystemActions.send: {
      const [to, topic, message] = args as [string, string, Json];
      try {
        // Keyed by the call: a send redone after a crash stores its message once.
        await engine.send(to, topic, decodeWire(message), { idempotencyKey: `${task.instance_id}:${task.call_id}` });
        return { ok: true, value: null };
      } catch (err) {
        return { ok: false, error: errorFromThrown(err, engine.maxErrorBytes), final: !isTransient(err) };
      }
    }
    default:
      return { ok: false, error: makeError("InterpreterError", `unknown system task '${task.action}'`), final: true };
  }
}

/** A child's outcome: its result, or its error (same class name and ancestry) rejecting the parent's call. */
function childOutcome(task: TaskRow, args: Json[]): AttemptOutcome {
  const answer = args[2] as { status?: string; result?: Json; error?: unknown } | undefined;
  if (answer?.status === "completed") {
    const value = answer.result === null || answer.result === undefined ? undefined : decodeWire(answer.result);
    return { ok: true, value: value as Json };
  }
  if (isErrorValue(answer?.error)) return { ok: false, error: answer.error, final: true };
  return { ok: false, error: makeError("InterpreterError", `child call '${task.call_id}' was answered without an outcome`), final: true };
}
