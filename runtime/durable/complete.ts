/**
 * Applying many finished actions in one transaction (group commit). Under load a
 * worker hands over every outcome that arrived while its previous batch committed,
 * so the cost of a transaction is shared by all of them; the locks are taken in id
 * order so that two workers' batches can never deadlock.
 */
import type { Json } from "../../ir-schema/index.ts";
import { advance, resolve, stateFromJson, stateToJson } from "../interpreter/index.ts";
import type { Outcome, State } from "../interpreter/state.ts";
import type { Queryable } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import type { HistoryEvent, InstanceRow, NewTask, TaskRow } from "./queries.ts";
import { stepOutput, Writes, type StepOutput } from "./step.ts";

export interface Completion {
  task: TaskRow;
  outcome: Outcome;
}

/** Tasks the completing worker may claim for itself straight away. */
export interface LocalClaim {
  actions: ReadonlySet<string>;
  max: number;
  leaseMs: number;
}

export interface CompletionResult {
  /** `instance:call` keys that were applied (the others had lost their lease). */
  applied: Set<string>;
  /** Next tasks inserted already claimed by this worker, to run now. */
  local: TaskRow[];
}

export async function completeBatch(
  engine: Engine, tx: Queryable, workerId: string, items: readonly Completion[], claim?: LocalClaim,
): Promise<CompletionResult> {
  const { q } = engine;
  const ids = [...new Set(items.map((c) => c.task.instance_id))].sort();
  const rows = new Map((await q.lockInstances(tx, ids)).map((r) => [r.id, r]));
  const applied = await q.finishTasks(tx, workerId, items.map((c) => ({
    instanceId: c.task.instance_id, callId: c.task.call_id, attempt: c.task.attempt, ok: c.outcome.ok,
  })));
  const writes = new Writes();
  const byInstance = new Map<string, Completion[]>();
  for (const c of items) {
    if (!applied.has(`${c.task.instance_id}:${c.task.call_id}`)) continue;
    const list = byInstance.get(c.task.instance_id);
    if (list) list.push(c);
    else byInstance.set(c.task.instance_id, [c]);
  }
  const saves: Parameters<typeof q.saveInstances>[1] = [];
  for (const [id, completions] of byInstance) {
    const row = rows.get(id);
    if (!row) continue;
    const resolved = completions.map((c) => resolvedEvent(id, c));
    if (row.status !== "running" && row.status !== "sleeping") {
      // A finished or cancelled instance ignores late results.
      for (const e of resolved) writes.event({ ...e, data: { ...(e.data as Record<string, Json>), ignored: row.status } });
      continue;
    }
    const artifact = await engine.artifact(tx, row.hash);
    let state: State = stateFromJson(row.state);
    for (const c of completions) state = resolve(state, c.task.call_id, c.outcome);
    // A deferred call may finish while its workflow sleeps: record it, but the sleep
    // still ends when the timer says, not now.
    const out: StepOutput =
      row.status === "sleeping"
        ? { status: "sleeping", state, wakeAt: row.wake_at, tasks: [], events: [] }
        : stepOutput(id, artifact, advance(artifact, state, row.now));
    saves.push(saveRow(row, out));
    writes.add(id, out, resolved);
  }
  if ((await q.saveInstances(tx, saves)) !== saves.length) {
    // Unreachable while we hold the row locks; if it ever happens, roll back rather than fork a state.
    throw new Error("an instance changed under a step (version mismatch); rolled back");
  }
  const local = claim && claim.max > 0 ? takeLocal(writes, claim) : [];
  const claimed = await q.insertClaimedTasks(tx, workerId, local, claim?.leaseMs ?? 0);
  await writes.flush(tx, q);
  return { applied, local: claimed };
}

function resolvedEvent(instanceId: string, c: Completion): HistoryEvent {
  const data: Record<string, Json> = { attempt: c.task.attempt, ok: c.outcome.ok };
  if (!c.outcome.ok) data.error = c.outcome.error as unknown as Json;
  return { instanceId, kind: "resolved", callId: c.task.call_id, data };
}

function saveRow(row: InstanceRow, out: StepOutput) {
  return {
    id: row.id, version: row.version, status: out.status, state: stateToJson(out.state),
    result: out.result, error: out.error as unknown as Json, wakeAt: out.wakeAt,
  };
}

/** Moves up to `claim.max` of the batch's new tasks for local actions out of the shared queue. */
function takeLocal(writes: Writes, claim: LocalClaim): NewTask[] {
  const local: NewTask[] = [];
  writes.keepQueued((t) => {
    if (local.length >= claim.max || !claim.actions.has(t.action)) return true;
    local.push(t);
    return false;
  });
  return local;
}
