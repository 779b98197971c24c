/**
 * What a client and a worker in the same process tell each other directly, instead
 * of through Postgres: a worker announces the instances it finished (their outcome,
 * once committed), so `result()` needs no NOTIFY hop and no read; and a client hands
 * the first tasks of an instance it starts to a worker here with a free slot, so they
 * are written already claimed and start at once (no NOTIFY, no claim query).
 * Everything still goes through the database; this only skips the round trips that
 * learn what this process already knows. Other processes are unaffected.
 *
 * One hub per database and schema in the process, found by `hubFor`: a client and
 * a worker reach each other whether they share a connection pool or not. This is
 * the one piece of process-wide state in the runtime, on purpose: "the workers of
 * this process" is process-wide by nature.
 */
import type { Json } from "../../ir-schema/index.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import type { Db } from "../store/db.ts";
import type { LocalClaim, StateCache } from "./complete.ts";
import type { TaskRow } from "./queries.ts";

/** How an instance ended, as its row says once committed. */
export type Finished = { status: "completed"; result: Json | undefined } | { status: "failed" | "cancelled"; error: ErrorValue };

/** A worker of this process, as the hub sees it. */
export interface LocalWorker {
  readonly id: string;
  /** Look for ready tasks now (something this process did made one ready). */
  kick(): void;
  /** What it may claim now for the first tasks of a starting instance (null: nothing). */
  claimForStart(): LocalClaim | null;
  /** Runs tasks written already claimed by a start, with the state that start saved. */
  adoptStarted(tasks: TaskRow[], leaseFrom: number, states: StateCache): void;
  /** Whether it has an action of this instance running or committing. */
  holds(instanceId: string): boolean;
}

/** Most outcomes kept for instances whose `result()` has not been asked for yet. */
const MAX_UNCLAIMED = 10_000;

export class LocalHub {
  private readonly workers = new Set<LocalWorker>();
  /** Instances this process started and waits for (or may): their outcome is kept until taken. */
  private readonly watched = new Map<string, Finished | null>();
  private readonly waiters = new Map<string, Set<(f: Finished | null) => void>>();
  private readonly publishWaiters = new Map<string, Set<(key: string, value: Json) => void>>();

  addWorker(w: LocalWorker): void {
    this.workers.add(w);
  }

  removeWorker(w: LocalWorker): void {
    this.workers.delete(w);
  }

  /**
   * Whether a worker here is running or committing a step of `id`: its end, if this
   * step ends it, will be announced here (`finished`), or the worker lets go of it
   * (`released`). A NOTIFY that overtakes the commit's own reply need not be read.
   */
  busyWith(id: string): boolean {
    for (const w of this.workers) if (w.holds(id)) return true;
    return false;
  }

  /** Wakes this process's workers: a task is ready that they would otherwise learn of by NOTIFY. */
  kick(): void {
    for (const w of this.workers) w.kick();
  }

  /** A worker with room for the first tasks of a starting instance, and what it may claim. */
  workerFor(): { worker: LocalWorker; workerId: string; claim: LocalClaim } | null {
    for (const worker of this.workers) {
      const claim = worker.claimForStart();
      if (claim && claim.max > 0) return { worker, workerId: worker.id, claim };
    }
    return null;
  }

  /** Remembers the outcome of `id` when a worker here finishes it (see `take`). */
  watch(id: string): void {
    if (this.watched.has(id)) return;
    if (this.watched.size >= MAX_UNCLAIMED) this.watched.delete(this.watched.keys().next().value!);
    this.watched.set(id, null);
  }

  /** The outcome of a watched instance, if a worker here has finished it. */
  take(id: string): Finished | null {
    const f = this.watched.get(id) ?? null;
    if (f) this.watched.delete(id);
    return f;
  }

  /** Calls `fn` when a worker here finishes `id`, or with null when it lets go of it unfinished; returns the unsubscribe. */
  onFinished(id: string, fn: (f: Finished | null) => void): () => void {
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.waiters.get(id) === set) this.waiters.delete(id);
    };
  }

  /** Called by a worker that no longer runs anything of `id`: waiters look for themselves again. */
  released(id: string): void {
    for (const fn of [...(this.waiters.get(id) ?? [])]) fn(null);
  }

  /** Calls `fn` with each value of `id` a step here publishes, once committed (stored form); returns the unsubscribe. */
  onPublished(id: string, fn: (key: string, value: Json) => void): () => void {
    let set = this.publishWaiters.get(id);
    if (!set) this.publishWaiters.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0 && this.publishWaiters.get(id) === set) this.publishWaiters.delete(id);
    };
  }

  /** Called by an engine once a step that published `key` of `id` has committed. */
  published(id: string, key: string, value: Json): void {
    for (const fn of [...(this.publishWaiters.get(id) ?? [])]) fn(key, value);
  }

  /** Called by a worker's engine once the step that finished `id` has committed. */
  finished(id: string, f: Finished): void {
    const set = this.waiters.get(id);
    if (set) {
      this.watched.delete(id);
      for (const fn of [...set]) fn(f);
    } else if (this.watched.has(id)) this.watched.set(id, f);
  }
}

/** The hubs of this process, by database and schema (see the file's comment). */
const hubs = new Map<string, LocalHub>();
const byDb = new WeakMap<Db, Map<string, LocalHub>>();

export function hubFor(db: Db, schema: string): LocalHub {
  if (db.key === undefined) {
    // A database object that cannot say which server it is on: shared only by users of that object.
    let perDb = byDb.get(db);
    if (!perDb) byDb.set(db, (perDb = new Map()));
    let hub = perDb.get(schema);
    if (!hub) perDb.set(schema, (hub = new LocalHub()));
    return hub;
  }
  const key = `${db.key}\u0000${schema}`;
  let hub = hubs.get(key);
  if (!hub) hubs.set(key, (hub = new LocalHub()));
  return hub;
}
