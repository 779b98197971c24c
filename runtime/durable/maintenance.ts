/**
 * A worker's maintenance round, every third of its lease: renew the leases of the
 * attempts it runs (stopping any whose lease another worker took meanwhile), beat
 * its heartbeat, match messages a lost deliver() left beside a waiting receive,
 * prune finished instances when due, and free the tasks of workers that died.
 */
import type { Engine } from "./engine.ts";
import type { InFlightSet } from "./in-flight.ts";
import type { Pruner } from "./prune.ts";
import type { WorkerEvent } from "./worker-options.ts";

export interface MaintenanceHost {
  readonly engine: Engine;
  readonly id: string;
  readonly leaseMs: number;
  readonly pruner: Pruner;
  readonly inFlight: InFlightSet;
  isRunning(): boolean;
  emit(event: WorkerEvent): void;
  /** Tells every worker that tasks of these actions are ready again. */
  announce(actions: string[]): Promise<void>;
  /** Makes this worker's claim loop look at once. */
  kick(): void;
}

export async function maintenanceRound(h: MaintenanceHost): Promise<void> {
  const { engine } = h;
  const held = h.inFlight.running();
  const sent = Date.now();
  const renewed = await engine.q.renewLeases(engine.db, h.id, held.map(([, f]): [string, string] => [f.task.instance_id, f.task.call_id]), h.leaseMs);
  for (const [key, f] of held) {
    if (renewed.has(key)) f.leaseUntil = sent + h.leaseMs;
    else if (h.inFlight.stillRunning(key, f)) {
      // Another worker holds it now (this one stalled past its lease): stop this attempt.
      f.abort.abort(new Error("lease lost"));
      h.emit({ type: "lease-lost", instanceId: f.task.instance_id, callId: f.task.call_id });
    }
  }
  await engine.q.heartbeatWorker(engine.db, h.id);
  // Messages a lost deliver() left beside a waiting receive (a crash right after a commit).
  await engine.deliver(await engine.q.strandedReceives(engine.db, 100));
  await h.pruner.pruneIfDue(() => h.isRunning());
  const freed = await engine.q.releaseExpired(engine.db);
  if (freed.length) {
    // releaseExpired recorded each in the history, in the same statement.
    await h.announce(freed.map((f) => f.action));
    h.kick();
  }
}
