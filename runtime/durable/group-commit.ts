/**
 * The worker's group commit: final outcomes queue up while the previous batch
 * commits, then go to the engine together (one transaction for the lot), so under
 * load the cost of a transaction is shared by every action that finished meanwhile.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Json } from "../../ir-schema/index.ts";
import type { Completion, LocalClaim, StateCache } from "./complete.ts";
import type { Engine } from "./engine.ts";
import type { TaskRow } from "./queries.ts";
import { engineError, isTransient } from "./fault.ts";

export interface GroupCommitHost {
  engine: Engine;
  workerId: string;
  /** What the worker may claim for itself from the batch being committed (0 once it is stopping). */
  localClaim(): LocalClaim;
  /** Runs the next tasks the batch claimed locally; their lease was taken no earlier than `leaseFrom` (this process's clock). */
  launch(task: TaskRow, leaseFrom: number): void;
  /** False once the worker stops: a batch that keeps failing is then given up (its leases expire). */
  running(): boolean;
  report(error: Error): void;
}

const MAX_BATCH = 500;

type Queued = Completion & { done: (applied: boolean | undefined) => void };

export class GroupCommit {
  private readonly queue: Queued[] = [];
  /** States of instances whose next action this worker claimed itself (see StateCache). */
  private readonly cache: StateCache = new Map();
  private flushing: Promise<void> | null = null;

  constructor(private readonly host: GroupCommitHost) {}

  /** Remembers a claimed task's instance state, unless a newer one is known. */
  seed(instanceId: string, entry: { hash: string; version: number; state: Json; trace: Json | null }): void {
    const known = this.cache.get(instanceId);
    if (!known || known.version < entry.version) this.cache.set(instanceId, entry);
  }

  /** The definition hash of an instance with an action running here (for log lines: its workflow's name). */
  hashOf(instanceId: string): string | undefined {
    return this.cache.get(instanceId)?.hash;
  }

  /** The stored trace context of an instance with an action running here (runtime/telemetry). */
  traceOf(instanceId: string): Json | null {
    return this.cache.get(instanceId)?.trace ?? null;
  }

  /** The worker has no action of this instance running any more. */
  forget(instanceId: string): void {
    this.cache.delete(instanceId);
  }

  /**
   * Resolves once the outcome's batch is committed: true when applied, false when
   * the lease had been lost, undefined when given up at shutdown.
   */
  submit(c: Completion): Promise<boolean | undefined> {
    return new Promise((resolve) => {
      this.queue.push({ ...c, done: resolve });
      // Started on the next turn of the event loop, not now: the actions a batch
      // launched and that finish at once (in microtasks) then join the same batch
      // instead of the first of them committing alone.
      this.flushing ??= nextTurn()
        .then(() => this.flush())
        .finally(() => (this.flushing = null));
    });
  }

  private async flush(): Promise<void> {
    const h = this.host;
    let backoff = 100;
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, MAX_BATCH);
      try {
        await this.commit(batch);
        backoff = 100;
      } catch (err) {
        h.report(err as Error);
        if (!isTransient(err)) {
          // Something in the batch fails every time (data Postgres refuses, say): one
          // at a time, so the rest commit and only the bad one fails its instance.
          await this.commitEach(batch);
          continue;
        }
        if (!h.running() && backoff >= 5000) {
          for (const c of batch) c.done(undefined);
          continue;
        }
        this.queue.unshift(...batch);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async commit(batch: Queued[]): Promise<void> {
    const h = this.host;
    const sent = Date.now();
    const { applied, local } = await h.engine.completeMany(h.workerId, batch, h.localClaim(), this.cache);
    for (const c of batch) c.done(applied.has(`${c.task.instance_id}:${c.task.call_id}`));
    for (const task of local) h.launch(task, sent);
    // As in submit(): let what the batch launched finish and join the next one.
    if (local.length > 0) await nextTurn();
  }

  /** Commits each item alone; an item that fails for good fails its instance instead. */
  private async commitEach(batch: Queued[]): Promise<void> {
    for (const item of batch) {
      try {
        await this.commit([item]);
      } catch (err) {
        if (isTransient(err)) {
          // The connection went meanwhile: back to the queue, the normal retry applies.
          this.queue.unshift(item);
          continue;
        }
        this.cache.delete(item.task.instance_id);
        const error = engineError(err, `cairn could not apply the outcome of call '${item.task.call_id}' (action '${item.task.action}')`);
        await this.host.engine
          .failInstance(item.task.instance_id, error)
          .catch((failed: unknown) => this.host.report(failed as Error));
        item.done(false);
      }
    }
  }
}
