/**
 * The pure half of a durable step: what the interpreter's answer means for the
 * database (instance status, wake-up time, tasks to enqueue, history to append).
 * Keeping it pure keeps the transactions in engine.ts short and easy to audit.
 */
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { SystemActions } from "../../ir-schema/vocabulary.ts";
import type { AdvanceResult, LogEntry, State } from "../interpreter/state.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import type { HistoryEvent, InstanceStatus, NewTask, Queries } from "./queries.ts";
import type { StepWrite, StepWriteResult } from "./write-step.ts";
import { stateToJson } from "../interpreter/codec.ts";
import type { Queryable } from "../store/db.ts";
import { checkArgs, checkPayload, checkResultOf, encodeWire } from "../payload.ts";
import type { Finished } from "./local-hub.ts";
import type { Segment } from "../telemetry/telemetry.ts";

/** See Writes.committed. */
export interface Committed {
  logs: InstanceLog[];
  finished: Array<[string, Finished]>;
  /** Receives that began to wait: their (instance, topic) may have messages to match (engine.deliver). */
  receives: Array<[string, string]>;
  /** Values published (stored form): clients here waiting on one have it without a read. */
  published: Array<{ instanceId: string; key: string; value: Json }>;
  /** The run segments written, for their spans and counts (runtime/telemetry). */
  segments: Segment[];
}

/** A workflow's `console.*` call during a step, with the instance it came from. */
export interface InstanceLog {
  instanceId: string;
  workflow: string;
  entry: LogEntry;
}

export interface StepOutput {
  status: InstanceStatus;
  state: State;
  wakeAt: number | null;
  result?: Json;
  error?: ErrorValue;
  tasks: NewTask[];
  events: HistoryEvent[];
  /** Printed once the step has committed (a step redone after a conflict must not print twice). */
  logs?: InstanceLog[];
  /** Published values (checked, stored form), the last of each key. */
  published?: Array<{ key: string; value: Json }>;
}

/**
 * `waitingAt`: where the program waited before this step. Still waiting there,
 * having dispatched nothing (a fan-out's sibling resolved, the join still waits),
 * the step records no new "waiting" event: it would repeat the last one.
 */
export function stepOutput(
  instanceId: string, artifact: Artifact, advanced: AdvanceResult, waitingAt: State["pc"] | undefined, maxPayloadBytes: number,
): StepOutput {
  const out = stepOutcome(instanceId, artifact, advanced, waitingAt, maxPayloadBytes);
  if (advanced.logs.length > 0) out.logs = advanced.logs.map((entry) => ({ instanceId, workflow: artifact.name, entry }));
  if (advanced.published.length > 0) {
    const last = new Map<string, Json>();
    for (const p of advanced.published) {
      // Checked like any payload: a value that cannot be stored fails the instance (PayloadError).
      last.set(p.key, encodeWire(checkPayload(p.value, `published value '${p.key}'`, "value", maxPayloadBytes)));
    }
    out.published = [...last].map(([key, value]) => ({ key, value }));
  }
  return out;
}

/** What the queue holds for one dispatched call: an action to run, or a wait (see NewTask.status). */
function taskOf(instanceId: string, d: AdvanceResult["dispatch"][number], maxPayloadBytes: number): NewTask {
  // Checked (a PayloadError fails the instance), then stored in the wire form:
  // NaN, -0 and undefined arguments reach the action as they were.
  const args = encodeWire(checkArgs(d.action, d.callId, d.args, maxPayloadBytes)) as Json[];
  const task: NewTask = { instanceId, callId: d.callId, action: d.action, args, options: d.options as Json };
  if (d.action === SystemActions.receive) {
    task.status = "waiting";
    task.delayMs = d.args[1] as number | null;
  } else if (d.action === SystemActions.child) {
    // Until the engine starts the child in this same write (children.ts).
    task.status = "waiting";
    task.delayMs = null;
  }
  return task;
}

/** What the history says was dispatched. */
function dispatchedData(d: AdvanceResult["dispatch"][number]): Json {
  switch (d.action) {
    case SystemActions.child:
      return { workflow: d.args[0] as string };
    case SystemActions.receive:
      return { receive: d.args[0] as string, timeoutMs: d.args[1] as number | null };
    case SystemActions.send:
      return { send: d.args[1] as string, to: d.args[0] as string };
    default:
      return { action: d.action };
  }
}

function stepOutcome(
  instanceId: string, artifact: Artifact, { state, dispatch }: AdvanceResult, waitingAt: State["pc"] | undefined, maxPayloadBytes: number,
): StepOutput {
  const tasks: NewTask[] = dispatch.map((d) => taskOf(instanceId, d, maxPayloadBytes));
  const events: HistoryEvent[] = dispatch.map((d) => ({ instanceId, kind: "dispatched", callId: d.callId, data: dispatchedData(d) }));
  const at = { block: state.pc.block, instr: state.pc.instr, loc: locOf(artifact, state) };
  switch (state.status) {
    case "completed": {
      // Checked like any payload: a result that cannot be stored fails the instance (PayloadError).
      const result = encodeWire(checkResultOf(artifact.name, state.result, maxPayloadBytes));
      events.push({ instanceId, kind: "completed", data: { result } });
      return { status: "completed", state, wakeAt: null, result, tasks, events };
    }
    case "failed":
      events.push({ instanceId, kind: "failed", data: { error: state.error as unknown as Json } });
      return { status: "failed", state, wakeAt: null, error: state.error, tasks, events };
    case "waiting":
      if (state.wait?.kind === "sleep") {
        events.push({ instanceId, kind: "sleeping", data: { until: new Date(state.wait.until).toISOString(), at } });
        return { status: "sleeping", state, wakeAt: state.wait.until, tasks, events };
      }
      if (dispatch.length > 0 || waitingAt?.block !== state.pc.block || waitingAt.instr !== state.pc.instr) {
        events.push({ instanceId, kind: "waiting", data: { pending: Object.keys(state.wait?.pending ?? {}), at } });
      }
      return { status: "running", state, wakeAt: null, tasks, events };
    default:
      // `advance` only returns once the program must wait or has finished.
      throw new Error(`interpreter returned a state in status ${JSON.stringify(state.status)}`);
  }
}

/** The output of a step the engine could not run: the instance fails with `error`, nothing is dispatched. */
export function failedOutput(instanceId: string, error: ErrorValue): Omit<StepOutput, "state"> {
  return { status: "failed", wakeAt: null, error, tasks: [], events: [{ instanceId, kind: "failed", data: { error: error as unknown as Json, engine: true } }] };
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
 * instances (a batch of starts, completions or wake-ups) still makes one statement
 * (write-step.ts) and one NOTIFY per channel.
 */
export class Writes {
  private tasks: NewTask[] = [];
  private claimed: NewTask[] = [];
  readonly events: HistoryEvent[] = [];
  readonly instances: StepWrite["instances"] = [];
  readonly saves: StepWrite["saves"] = [];
  readonly finished: StepWrite["finished"] = [];
  readonly logs: InstanceLog[] = [];
  readonly published: Array<{ instanceId: string; key: string; value: Json }> = [];
  private readonly segments: Segment[] = [];
  private readonly done: string[] = [];
  private earliestWake: number | null = null;

  add(instanceId: string, out: Omit<StepOutput, "state">, before: HistoryEvent[] = []): void {
    this.tasks.push(...out.tasks);
    this.events.push(...before, ...out.events);
    if (out.logs) this.logs.push(...out.logs);
    for (const p of out.published ?? []) this.published.push({ instanceId, ...p });
    if (out.status === "sleeping" && out.wakeAt !== null) {
      this.earliestWake = this.earliestWake === null ? out.wakeAt : Math.min(this.earliestWake, out.wakeAt);
    }
    if (out.status === "completed" || out.status === "failed") this.done.push(instanceId);
  }

  /** The instance row to save with `out`'s state (version-checked against `version`). */
  save(id: string, version: number, out: StepOutput): void {
    this.saves.push({
      id, version, status: out.status, state: stateToJson(out.state),
      result: out.result, error: out.error as unknown as Json, wakeAt: out.wakeAt,
    });
  }

  /** What the rest of the process learns once these writes have committed: logs to print, instances finished. */
  committed(): Committed {
    const finished: Array<[string, Finished]> = [];
    for (const r of [...this.instances, ...this.saves]) {
      if (r.status === "completed") finished.push([r.id, { status: "completed", result: r.result }]);
      else if (r.status === "failed" || r.status === "cancelled") finished.push([r.id, { status: r.status, error: r.error as unknown as ErrorValue }]);
    }
    const receives: Array<[string, string]> = [];
    for (const t of this.tasks) if (t.action === SystemActions.receive) receives.push([t.instanceId, t.args[0] as string]);
    return { logs: this.logs, finished, receives, published: this.published, segments: this.segments };
  }

  /**
   * Records that `instanceId` ran from `startedAt` to the state `out` describes:
   * reported (as a span and a count) only once these writes have committed.
   */
  segment(instanceId: string, workflow: string, trace: Json | null, startedAt: number, out: Pick<StepOutput, "status" | "error">): void {
    const s: Segment = { instanceId, workflow, trace, startedAt, status: out.status };
    if (out.error) s.error = out.error;
    this.segments.push(s);
  }

  /** Like save, but keeps the stored state as it was (the engine could not produce a new one). */
  saveRaw(id: string, version: number, out: Omit<StepOutput, "state">, state: Json): void {
    this.saves.push({ id, version, status: out.status, state, result: out.result, error: out.error as unknown as Json, wakeAt: out.wakeAt });
  }

  event(e: HistoryEvent): void {
    this.events.push(e);
  }

  /**
   * Moves up to `max` new tasks for `actions` out of the shared queue: `workerId`
   * runs them itself, so they are written already claimed (attempt 1).
   */
  claimLocally(workerId: string, actions: ReadonlySet<string>, max: number): NewTask[] {
    const keep: NewTask[] = [];
    for (const t of this.tasks) {
      if (this.claimed.length < max && t.status === undefined && actions.has(t.action)) {
        this.claimed.push(t);
        const idempotencyKey = `${t.instanceId}:${t.callId}`;
        this.events.push({ instanceId: t.instanceId, kind: "attempt", callId: t.callId, data: { attempt: 1, worker: workerId, idempotencyKey } });
      } else keep.push(t);
    }
    this.tasks = keep;
    return this.claimed;
  }

  /** Writes everything in one statement; throws if a save lost its version check. */
  async flush(tx: Queryable, q: Queries, workerId: string | null = null, leaseMs = 0): Promise<StepWriteResult> {
    const notifications: StepWrite["notifications"] = [];
    // Notifications are delivered at commit, so a woken worker sees the new rows.
    const actions = new Set(this.tasks.filter((t) => t.status === undefined).map((t) => t.action));
    if (actions.size) notifications.push({ channel: q.channels.tasks, payload: [...actions].join(",") });
    // A receive with a timeout is a timer too (the payload is only a hint: workers read the next wake-up).
    const timeout = this.tasks.some((t) => t.status === "waiting" && t.delayMs !== null && t.delayMs !== undefined);
    if (this.earliestWake !== null || timeout) notifications.push({ channel: q.channels.timers, payload: String(this.earliestWake ?? Date.now()) });
    if (this.published.length > 0) notifications.push({ channel: q.channels.published, payload: [...new Set(this.published.map((p) => p.instanceId))].join(",").slice(0, 7900) });
    // One notification for many finished instances (NOTIFY payloads hold 8000 bytes).
    for (let i = 0; i < this.done.length; i += 200) {
      notifications.push({ channel: q.channels.done, payload: this.done.slice(i, i + 200).join(",") });
    }
    // Throws StaleStepError, having written nothing, if a version or a lease check fails.
    return q.writeStep(tx, workerId, leaseMs, {
      instances: this.instances, saves: this.saves, finished: this.finished, queued: this.tasks, claimed: this.claimed, events: this.events, notifications,
      published: this.published, tasksChannel: q.channels.tasks,
    });
  }
}
