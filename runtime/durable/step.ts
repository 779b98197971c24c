/**
 * The pure half of a durable step: what the interpreter's answer means for the
 * database (instance status, wake-up time, tasks to enqueue, history to append).
 * Keeping it pure keeps the transactions in engine.ts short and easy to audit.
 */
import type { Artifact, Json } from "../../ir-schema/index.ts";
import type { AdvanceResult, State } from "../interpreter/state.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import type { HistoryEvent, InstanceStatus, NewTask } from "./queries.ts";

export interface StepOutput {
  status: InstanceStatus;
  state: State;
  wakeAt: number | null;
  result?: Json;
  error?: ErrorValue;
  tasks: NewTask[];
  events: HistoryEvent[];
}

export function stepOutput(artifact: Artifact, { state, dispatch }: AdvanceResult): StepOutput {
  const tasks: NewTask[] = dispatch.map((d) => ({
    callId: d.callId,
    action: d.action,
    args: d.args,
    options: d.options as Json,
  }));
  const events: HistoryEvent[] = dispatch.map((d) => ({ kind: "dispatched", callId: d.callId, data: { action: d.action } }));
  const at = { block: state.pc.block, instr: state.pc.instr, loc: locOf(artifact, state) };
  switch (state.status) {
    case "completed":
      events.push({ kind: "completed", data: { result: state.result ?? null } });
      return { status: "completed", state, wakeAt: null, result: state.result ?? null, tasks, events };
    case "failed":
      events.push({ kind: "failed", data: { error: state.error as unknown as Json } });
      return { status: "failed", state, wakeAt: null, error: state.error, tasks, events };
    case "waiting":
      if (state.wait?.kind === "sleep") {
        events.push({ kind: "sleeping", data: { until: new Date(state.wait.until).toISOString(), at } });
        return { status: "sleeping", state, wakeAt: state.wait.until, tasks, events };
      }
      events.push({ kind: "waiting", data: { pending: Object.keys(state.wait?.pending ?? {}), at } });
      return { status: "running", state, wakeAt: null, tasks, events };
    default:
      // `advance` only returns once the program must wait or has finished.
      throw new Error(`interpreter returned a state in status ${JSON.stringify(state.status)}`);
  }
}

/** The source location the program is at, for status displays. */
export function locOf(artifact: Artifact, state: State): string | null {
  const block = artifact.program.blocks[state.pc.block];
  if (!block) return null;
  const node = state.pc.instr < block.instrs.length ? block.instrs[state.pc.instr] : block.term;
  return node?.loc ?? null;
}
