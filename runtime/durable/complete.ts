/**
 * Applying many finished actions at once (group commit). Under load a worker hands
 * over every outcome that arrived while its previous batch committed, so the cost of
 * a commit is shared by all of them; locks are taken in id order so that two
 * workers' batches can never deadlock.
 */
import type { Json } from "../../ir-schema/index.ts";
import { advance, resolve, stateFromJson } from "../interpreter/index.ts";
import type { Outcome, State } from "../interpreter/state.ts";
import type { Db, Queryable } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import type { HistoryEvent, InstanceRow, InstanceStatus, TaskRow } from "./queries.ts";
import { failedOutput, stepOutput, Writes, type Committed, type StepOutput } from "./step.ts";
import { engineError, isTransient } from "./fault.ts";
import { StaleStepError } from "./write-step.ts";
import { startChildren, startsSleeper } from "./children.ts";
import { now as clock } from "../telemetry/telemetry.ts";

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
  /** What the steps applied print and finish (see Engine.committed). */
  committed: Committed;
}

/**
 * What a worker remembers of the instances it has actions of in flight: the
 * state it just saved and its version, or that the claim of a queued action
 * read. When that action finishes, the step runs from memory and is written by one
 * autocommitted statement whose version check replaces the row lock (optimistic
 * concurrency); anything stale falls back to the locked path. Bounded by the
 * worker's concurrency: an entry lives while its instance has an action running on
 * this worker.
 */
export type StateCache = Map<string, { hash: string; version: number; state: Json; trace: Json | null }>;

/**
 * Applies a batch of outcomes. Fast path: every instance is in `cache`, so no lock
 * and no explicit transaction. Locked path: lock the rows, then one write statement
 * inside a transaction. Either write also checks that this worker still holds every
 * task; when a lease was lost (rare: the worker stalled past its lease) nothing is
 * written and the batch is redone with ownership checked first.
 */
export async function completeBatch(
  engine: Engine, db: Db, workerId: string, items: readonly Completion[], claim?: LocalClaim, cache?: StateCache,
): Promise<CompletionResult> {
  const result = await completeOnce(engine, db, workerId, items, claim, cache);
  // Only now that the batch has committed: a redone step must not print twice.
  engine.committed(result.committed);
  return result;
}

async function completeOnce(
  engine: Engine, db: Db, workerId: string, items: readonly Completion[], claim?: LocalClaim, cache?: StateCache,
): Promise<CompletionResult> {
  const ids = [...new Set(items.map((c) => c.task.instance_id))].sort();
  if (cache && ids.every((id) => cache.has(id))) {
    try {
      return await applyBatch(engine, db, workerId, items, claim, null, cache, null);
    } catch (err) {
      if (!(err instanceof StaleStepError || err instanceof NeedsLock)) throw err;
      for (const id of ids) cache.delete(id);
    }
  }
  try {
    return await db.transaction(async (tx) => {
      const rows = await engine.q.lockInstances(tx, ids);
      return applyBatch(engine, tx, workerId, items, claim, null, cache, rows);
    });
  } catch (err) {
    if (!(err instanceof StaleStepError)) throw err;
    return db.transaction(async (tx) => {
      const rows = await engine.q.lockInstances(tx, ids);
      const held = await engine.q.finishTasks(tx, workerId, items.map(finishedTask));
      return applyBatch(engine, tx, workerId, items.filter((c) => held.has(keyOf(c.task))), claim, held, cache, rows);
    });
  }
}

/** The cached path met something that needs the database's clock (a sleep). */
class NeedsLock extends Error {}

const keyOf = (t: TaskRow) => `${t.instance_id}:${t.call_id}`;
const finishedTask = (c: Completion) => ({ instanceId: c.task.instance_id, callId: c.task.call_id, attempt: c.task.attempt, ok: c.outcome.ok });

interface Base {
  hash: string;
  version: number;
  status: InstanceStatus;
  state: Json;
  wakeAt: number | null;
  now: number;
  trace: Json | null;
}

async function applyBatch(
  engine: Engine, q: Queryable, workerId: string, items: readonly Completion[], claim: LocalClaim | undefined,
  held: Set<string> | null, cache: StateCache | undefined, rows: InstanceRow[] | null,
): Promise<CompletionResult> {
  const bases = new Map<string, Base>();
  if (rows) {
    for (const r of rows) bases.set(r.id, { hash: r.hash, version: r.version, status: r.status, state: r.state, wakeAt: r.wake_at, now: r.now, trace: r.trace });
  } else {
    for (const c of items) {
      const id = c.task.instance_id;
      const hit = cache!.get(id)!;
      bases.set(id, { ...hit, status: "running", wakeAt: null, now: Date.now() });
    }
  }
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
    const base = bases.get(id);
    if (!base) continue;
    const resolved = completions.map((c) => resolvedEvent(id, c));
    if (base.status !== "running" && base.status !== "sleeping") {
      // A finished or cancelled instance ignores late results.
      for (const e of resolved) writes.event({ ...e, data: { ...(e.data as Record<string, Json>), ignored: base.status } });
      continue;
    }
    let out: StepOutput;
    const startedAt = clock();
    let workflow = engine.knownWorkflowName(base.hash) ?? base.hash;
    try {
      const artifact = await engine.artifact(q, base.hash);
      workflow = artifact.name;
      let state: State = stateFromJson(base.state);
      const waitingAt = { ...state.pc };
      for (const c of completions) state = resolve(state, c.task.call_id, c.outcome);
      // A deferred call may finish while its workflow sleeps: record it, but the sleep
      // still ends when the timer says, not now.
      out =
        base.status === "sleeping"
          ? { status: "sleeping", state, wakeAt: base.wakeAt, tasks: [], events: [] }
          : stepOutput(id, artifact, advance(artifact, state, base.now), waitingAt, engine.maxPayloadBytes);
      await startChildren(engine, q, { id, artifact, trace: base.trace }, out, writes, base.now);
    } catch (err) {
      if (isTransient(err)) throw err;
      // The step cannot be run (a broken definition, an interpreter invariant): this
      // instance fails, the others in the batch go on.
      const calls = completions.map((c) => `'${c.task.call_id}'`).join(", ");
      const failed = failedOutput(id, engineError(err, `cairn could not apply the outcome of call ${calls}`));
      writes.saveRaw(id, base.version, failed, base.state);
      writes.add(id, failed, resolved);
      writes.segment(id, workflow, base.trace, startedAt, failed);
      continue;
    }
    // A sleep's deadline must come from the database's clock, not this worker's.
    if (!rows && out.status === "sleeping") throw new NeedsLock();
    writes.save(id, base.version, out);
    writes.add(id, out, resolved);
    writes.segment(id, workflow, base.trace, startedAt, out);
  }
  // A child that sleeps in its first step needs the database's clock too.
  if (!rows && startsSleeper(writes)) throw new NeedsLock();
  const local = claim && claim.max > 0 ? writes.claimLocally(workerId, claim.actions, claim.max) : [];
  await writes.flush(q, engine.q, workerId, claim?.leaseMs ?? 0);
  if (cache) remember(cache, writes, bases);
  return {
    committed: writes.committed(),
    applied: held ?? new Set(items.map((c) => keyOf(c.task))),
    local: local.map((t) => ({
      instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options,
      status: "running", attempt: 1, run_at: 0, lease_until: null, worker_id: workerId, last_error: null,
    })),
  };
}

/**
 * Keeps the state just written of every instance still running: the worker may
 * have another of its actions in flight (run locally next, or a sibling in a
 * fan-out). The worker drops an entry once it runs nothing of that instance.
 */
function remember(cache: StateCache, writes: Writes, bases: Map<string, Base>): void {
  for (const save of writes.saves) {
    const base = bases.get(save.id)!;
    if (save.status === "running") cache.set(save.id, { hash: base.hash, version: save.version + 1, state: save.state, trace: base.trace });
    else cache.delete(save.id);
  }
}

function resolvedEvent(instanceId: string, c: Completion): HistoryEvent {
  const data: Record<string, Json> = { attempt: c.task.attempt, ok: c.outcome.ok };
  if (!c.outcome.ok) data.error = c.outcome.error as unknown as Json;
  return { instanceId, kind: "resolved", callId: c.task.call_id, data };
}
