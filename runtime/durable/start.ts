/**
 * Starting instances: each program run to its first suspension and everything it
 * produced written in one statement, for one instance or a batch of them. When a
 * worker of this process has room (local-hub.ts), the first tasks are written
 * already claimed by it and handed over when the statement returns, so an
 * instance started and served in one process reaches its first action with no
 * NOTIFY and no claim query.
 */
import { randomUUID } from "node:crypto";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { advance, initialState, stateToJson } from "../interpreter/index.ts";
import { encodeWire } from "../payload.ts";
import type { Engine } from "./engine.ts";
import type { LocalClaim, StateCache } from "./complete.ts";
import type { LocalWorker } from "./local-hub.ts";
import type { InstanceStatus, TaskRow } from "./queries.ts";
import { stepOutput, Writes } from "./step.ts";
import { startChildren, startsSleeper } from "./children.ts";
import { isTransient } from "./fault.ts";
import type { Queryable } from "../store/db.ts";
import { now as clock } from "../telemetry/telemetry.ts";

/** A worker of this process that takes the first tasks, and what it may claim. */
export interface LocalTarget {
  worker: LocalWorker;
  workerId: string;
  claim: LocalClaim;
}

/** One instance to start: its checked input, and the trace context it joins (runtime/telemetry; null: none). */
export interface StartInput {
  input: Record<string, Json>;
  trace: Json | null;
}

/** One input's start: the new instance, or why this input could not start (the others still do). */
export type StartOutcome = { id: string; status: InstanceStatus } | { error: unknown };

/**
 * Starts one instance per checked input in a single statement. An input whose
 * first step cannot be run or stored (a PayloadError in its arguments, say) gets its
 * error in its place; a statement the database refuses rejects the whole call, and a
 * taken idempotency key throws DuplicateStartError, having written nothing.
 */
export async function startInstances(
  engine: Engine, artifact: Artifact, inputs: ReadonlyArray<StartInput>, key: string | undefined, local: LocalTarget | null,
  atomic = false,
): Promise<StartOutcome[]> {
  // This process's clock only matters to a first step that sleeps: its deadline
  // must come from the database's clock, read in a transaction of its own (and
  // the steps are run again from fresh states: advancing one changes it).
  let steps = await firstSteps(engine, artifact, inputs, Date.now(), key, atomic);
  let sent = Date.now();
  let claimed: ReturnType<Writes["claimLocally"]> = [];
  const claim = () => (local ? steps.writes.claimLocally(local.workerId, local.claim.actions, local.claim.max) : []);
  if (startsSleeper(steps.writes)) {
    await engine.db.transaction(async (tx) => {
      steps = await firstSteps(engine, artifact, inputs, await engine.q.dbNow(tx), key, atomic, tx);
      claimed = claim();
      sent = Date.now();
      await steps.writes.flush(tx, engine.q, local?.workerId ?? null, local?.claim.leaseMs ?? 0);
    });
  } else {
    claimed = claim();
    sent = Date.now();
    await steps.writes.flush(engine.db, engine.q, local?.workerId ?? null, local?.claim.leaseMs ?? 0);
  }
  engine.committed(steps.writes.committed());
  if (local && claimed.length > 0) {
    const states: StateCache = new Map();
    for (const i of steps.writes.instances) if (i.status === "running") states.set(i.id, { hash: i.hash, version: 0, state: i.state, trace: i.trace });
    const tasks: TaskRow[] = claimed.map((t) => ({
      instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options,
      status: "running", attempt: 1, run_at: 0, lease_until: null, worker_id: local.workerId, last_error: null,
    }));
    local.worker.adoptStarted(tasks, sent, states);
  }
  return steps.outcomes;
}

/** The rows that start these instances: each program run to its first suspension (and the children it starts, children.ts). */
async function firstSteps(
  engine: Engine, artifact: Artifact, inputs: ReadonlyArray<StartInput>, now: number, key: string | undefined, atomic: boolean,
  q: Queryable = engine.db,
): Promise<{ writes: Writes; outcomes: StartOutcome[] }> {
  const writes = new Writes();
  const outcomes: StartOutcome[] = [];
  for (const { input: clean, trace } of inputs) {
    const id = randomUUID();
    try {
      const startedAt = clock();
      const out = stepOutput(id, artifact, advance(artifact, initialState(artifact, clean), now), undefined, engine.maxPayloadBytes);
      await startChildren(engine, q, { id, artifact, trace }, out, writes, now);
      const input = encodeWire(clean);
      const state = stateToJson(out.state);
      writes.add(id, out, [{ instanceId: id, kind: "started", data: { workflow: artifact.name, hash: artifact.hash, input } }]);
      writes.instances.push({
        id, workflow: artifact.name, hash: artifact.hash, status: out.status, input, state,
        result: out.result, error: out.error as unknown as Json, key: key ?? null, wakeAt: out.wakeAt, trace,
      });
      writes.segment(id, artifact.name, trace, startedAt, out);
      outcomes.push({ id, status: out.status });
    } catch (error) {
      if (isTransient(error)) throw error;
      // All or nothing (startMany): one bad input, and nothing is written.
      if (atomic) throw error;
      outcomes.push({ error });
    }
  }
  return { writes, outcomes };
}
