/**
 * Applying many finished actions in one transaction (group commit). Under load a
 * worker hands over every outcome that arrived while its previous batch committed,
 * so the cost of a transaction is shared by all of them; the locks are taken in id
 * order so that two workers' batches can never deadlock.
 */
import type { Json } from "../../ir-schema/index.ts";
import { advance, resolve, stateFromJson } from "../interpreter/index.ts";
import type { Outcome, State } from "../interpreter/state.ts";
import type { Db, Queryable } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import type { HistoryEvent, TaskRow } from "./queries.ts";
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

/**
 * Optimistic: outcomes are applied assuming this worker still holds every task, and
 * the single write statement checks it. When a lease was lost meanwhile (rare: only
 * after the worker stalled past its lease), the transaction is rolled back and the
 * batch redone with the ownership checked first.
 */
export async function completeBatch(
  engine: Engine, db: Db, workerId: string, items: readonly Completion[], claim?: LocalClaim,
): Promise<CompletionResult> {
  try {
    return await db.transaction((tx) => applyBatch(engine, tx, workerId, items, claim, null));
  } catch (err) {
    if (!(err instanceof LeaseLost)) throw err;
    return db.transaction(async (tx) => {
      const held = await engine.q.finishTasks(tx, workerId, items.map(finishedTask));
      return applyBatch(engine, tx, workerId, items.filter((c) => held.has(keyOf(c.task))), claim, held);
    });
  }
}

class LeaseLost extends Error {}

const keyOf = (t: TaskRow) => `${t.instance_id}:${t.call_id}`;
const finishedTask = (c: Completion) => ({ instanceId: c.task.instance_id, callId: c.task.call_id, attempt: c.task.attempt, ok: c.outcome.ok });

async function applyBatch(
  engine: Engine, tx: Queryable, workerId: string, items: readonly Completion[], claim: LocalClaim | undefined,
  held: Set<string> | null,
): Promise<CompletionResult> {
  const { q } = engine;
  const ids = [...new Set(items.map((c) => c.task.instance_id))].sort();
  const rows = new Map((await q.lockInstances(tx, ids)).map((r) => [r.id, r]));
  const writes = new Writes();
  // Already marked finished by the ownership check of the slow path.
  if (held === null) writes.finished.push(...items.map(finishedTask));
  const byInstance = new Map<string, Completion[]>();
  for (const c of items) {
    const list = byInstance.get(c.task.instance_id);
    if (list) list.push(c);
    else byInstance.set(c.task.instance_id, [c]);
  }
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
    writes.save(id, row.version, out);
    writes.add(id, out, resolved);
  }
  const local = claim && claim.max > 0 ? writes.claimLocally(workerId, claim.actions, claim.max) : [];
  const result = await writes.flush(tx, q, workerId, claim?.leaseMs ?? 0);
  if (held === null && result.finished !== items.length) throw new LeaseLost();
  return {
    applied: held ?? new Set(items.map((c) => keyOf(c.task))),
    local: local.map((t) => ({
      instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options,
      status: "running", attempt: 1, run_at: 0, lease_until: null, worker_id: workerId, last_error: null,
    })),
  };
}

function resolvedEvent(instanceId: string, c: Completion): HistoryEvent {
  const data: Record<string, Json> = { attempt: c.task.attempt, ok: c.outcome.ok };
  if (!c.outcome.ok) data.error = c.outcome.error as unknown as Json;
  return { instanceId, kind: "resolved", callId: c.task.call_id, data };
}
