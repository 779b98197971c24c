/**
 * The pure half of a durable step: what the interpreter's answer means for the
 * database (instance status, wake-up time, tasks to enqueue, history to append).
 * Keeping it pure keeps the transactions in engine.ts short and easy to audit.
 */
import type { Artifact, Json } from "../../ir-schema/index.ts";
import type { AdvanceResult, State } from "../interpreter/state.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import type { HistoryEvent, InstanceStatus, NewTask, Queries } from "./queries.ts";
import type { Queryable } from "../store/db.ts";

export interface StepOutput {
  status: InstanceStatus;
  state: State;
  wakeAt: number | null;
  result?: Json;
  error?: ErrorValue;
  tasks: NewTask[];
  events: HistoryEvent[];
}

export function stepOutput(instanceId: string, artifact: Artifact, { state, dispatch }: AdvanceResult): StepOutput {
  const tasks: NewTask[] = dispatch.map((d) => ({
    instanceId,
    callId: d.callId,
    action: d.action,
    args: d.args,
    options: d.options as Json,
  }));
  const events: HistoryEvent[] = dispatch.map((d) => ({ instanceId, kind: "dispatched", callId: d.callId, data: { action: d.action } }));
  const at = { block: state.pc.block, instr: state.pc.instr, loc: locOf(artifact, state) };
  switch (state.status) {
    case "completed":
      events.push({ instanceId, kind: "completed", data: { result: state.result ?? null } });
      return { status: "completed", state, wakeAt: null, result: state.result ?? null, tasks, events };
    case "failed":
      events.push({ instanceId, kind: "failed", data: { error: state.error as unknown as Json } });
      return { status: "failed", state, wakeAt: null, error: state.error, tasks, events };
    case "waiting":
      if (state.wait?.kind === "sleep") {
        events.push({ instanceId, kind: "sleeping", data: { until: new Date(state.wait.until).toISOString(), at } });
        return { status: "sleeping", state, wakeAt: state.wait.until, tasks, events };
      }
      events.push({ instanceId, kind: "waiting", data: { pending: Object.keys(state.wait?.pending ?? {}), at } });
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

/**
 * The rows one transaction writes, gathered so that a transaction touching many
 * instances (a batch of starts, completions or wake-ups) still makes one INSERT per
 * table and one NOTIFY per channel.
 */
export class Writes {
  private tasks: NewTask[] = [];
  readonly events: HistoryEvent[] = [];
  private readonly done: string[] = [];
  private earliestWake: number | null = null;

  add(instanceId: string, out: StepOutput, before: HistoryEvent[] = []): void {
    this.tasks.push(...out.tasks);
    this.events.push(...before, ...out.events);
    if (out.status === "sleeping" && out.wakeAt !== null) {
      this.earliestWake = this.earliestWake === null ? out.wakeAt : Math.min(this.earliestWake, out.wakeAt);
    }
    if (out.status === "completed" || out.status === "failed") this.done.push(instanceId);
  }

  event(e: HistoryEvent): void {
    this.events.push(e);
  }

  /** Keeps in the shared queue only the tasks `keep` accepts (the caller takes the others). */
  keepQueued(keep: (task: NewTask) => boolean): void {
    this.tasks = this.tasks.filter(keep);
  }

  async flush(tx: Queryable, q: Queries): Promise<void> {
    await q.insertTasks(tx, this.tasks);
    await q.appendHistory(tx, this.events);
    // Notifications are delivered at commit, so a woken worker sees the new rows.
    const actions = new Set(this.tasks.map((t) => t.action));
    if (actions.size) await q.notify(tx, "tasks", [...actions].join(","));
    if (this.earliestWake !== null) await q.notify(tx, "timers", String(this.earliestWake));
    // One notification for many finished instances (NOTIFY payloads hold 8000 bytes).
    for (let i = 0; i < this.done.length; i += 200) await q.notify(tx, "done", this.done.slice(i, i + 200).join(","));
  }
}
