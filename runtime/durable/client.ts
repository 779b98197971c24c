/**
 * The client: start instances, wait for results, inspect and cancel them. It needs
 * no actions and runs no workflow code; it only talks to the database.
 */
import { wakeableWait } from "./wakeable-wait.ts";
import { decodeWire } from "../payload.ts";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import type { Db } from "../store/db.ts";
import { Engine, UnknownWorkflowError } from "./engine.ts";
import type { Finished } from "./local-hub.ts";
import type { InstanceStatus } from "./queries.ts";
import { StartBatcher } from "./start-batcher.ts";
import { describeInstance, type InstanceStatusReport } from "./status.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import { artifactOf, type WorkflowLike } from "../api/compiled.ts";
import { scheduleQueries, type ScheduleInfo } from "./schedule-queries.ts";
import { PublishedValues } from "./published.ts";
import type { SendOptions } from "./messages.ts";
import { makeHandle, type InstanceHandle, type StartedHandle } from "./handle.ts";
import { isNameKeyedOnly, startArguments, type StartOptions } from "./start-args.ts";
import type { TypedWorkflow, WorkflowArgs, WorkflowResult } from "./workflow-signature.ts";
import { waitResults, type InstanceOutcome } from "./batch-results.ts";
import { WorkflowFailedError } from "./workflow-failed.ts";
import { DoneSweep } from "./done-sweep.ts";
import { MAX_TIMEOUT } from "../runner/clock.ts";
import { isInstanceId } from "./instance-queries.ts";

export { WorkflowFailedError } from "./workflow-failed.ts";
export { connect, resolveDatabaseUrl, type ConnectOptions } from "./connect.ts";
export type { InstanceHandle, StartedHandle, InstanceOutcome, StartOptions };

/** An artifact, a compiled handle (what bundler plugins leave in place of a workflow), or a registered name. */
export type WorkflowRef = WorkflowLike | string;

/** Most instances remembered as "started here, still running" (see Client.track). */
const MAX_TRACKED = 10_000;

export class Client {
  readonly engine: Engine;
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscribed: Promise<void> | null = null;
  private unlisten: (() => Promise<void>) | undefined;
  private readonly starts: StartBatcher;
  private readonly publishedValues: PublishedValues;
  /**
   * Instances this client started that were still running when their start
   * committed, with whether a NOTIFY has said they finished since: their first
   * `result()` need not read the row before waiting.
   */
  private readonly startedRunning = new Map<string, boolean>();
  private readonly sweep: DoneSweep;

  constructor(readonly db: Db, options: { schema?: string; maxPayloadBytes?: number }, private readonly owned: boolean) {
    this.engine = new Engine(db, options);
    this.starts = new StartBatcher(this.engine);
    this.publishedValues = new PublishedValues(this.engine, db);
    this.sweep = new DoneSweep(this.engine, db, this.waiters);
  }

  /**
   * Starts one instance of `workflow` (a compiled handle, an artifact, or the name
   * of a registered workflow), with its arguments positionally, typed from the
   * workflow's signature (`start(onboarding, "u1", "pro")`), or keyed by parameter
   * name (`start(artifact, { userId: "u1" }, { idempotencyKey })`): see start-args.ts.
   * Starts made in the same turn of the event loop are written together
   * (start-batcher.ts); a bad input rejects only its own call.
   */
  start<W extends TypedWorkflow>(workflow: W, ...args: WorkflowArgs<W>): Promise<StartedHandle<WorkflowResult<W>>>;
  start(workflow: WorkflowRef, input?: Record<string, unknown>, options?: StartOptions): Promise<StartedHandle>;
  async start(workflow: WorkflowRef, ...args: unknown[]): Promise<StartedHandle> {
    const artifact = await this.resolveWorkflow(workflow);
    const { input, options } = startArguments(artifact, isNameKeyedOnly(workflow), args);
    return this.startArtifact(artifact, input, options);
  }

  /** The positional, typed start with options: `client.with({ idempotencyKey: "signup-u1" }).start(onboarding, "u1")`. */
  with(options: StartOptions) {
    return {
      start: async <W extends TypedWorkflow>(workflow: W, ...args: WorkflowArgs<W>): Promise<StartedHandle<WorkflowResult<W>>> => {
        const artifact = await this.resolveWorkflow(workflow);
        const started = startArguments(artifact, false, args, options);
        return this.startArtifact(artifact, started.input, started.options) as Promise<StartedHandle<WorkflowResult<W>>>;
      },
    };
  }

  private async startArtifact(artifact: Artifact, input: Record<string, unknown>, options: StartOptions): Promise<StartedHandle> {
    // Listening before the write: an instance that finishes at once is not missed.
    await this.subscribe();
    if (options.idempotencyKey === undefined) {
      const { id, status } = await this.starts.start(artifact, this.engine.checkInput(artifact, input));
      this.track(id, status);
      return Object.assign(this.handle(id), { created: true });
    }
    const { id, created, status } = await this.engine.start(artifact, input, options.idempotencyKey);
    if (status) this.track(id, status);
    return Object.assign(this.handle(id), { created });
  }

  /**
   * Waits for every instance of `ids` to finish, reading them together
   * (batch-results.ts): each one's result or error, in the order of `ids`. A
   * workflow's failure is its outcome, not thrown; an unknown id or the timeout throws.
   */
  results(ids: readonly string[], options?: { timeoutMs?: number }): Promise<InstanceOutcome[]> {
    return waitResults({ engine: this.engine, db: this.db, onDone: (id, fn) => this.onDone(id, fn) }, ids, options);
  }

  /** Calls `fn` on each NOTIFY that `id` finished (one LISTEN per client); returns the unsubscribe. */
  private async onDone(id: string, fn: () => void): Promise<() => void> {
    await this.subscribe();
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(fn);
    return () => {
      set.delete(fn);
      if (set.size === 0) this.waiters.delete(id);
    };
  }

  /** Starts one instance per input in a single transaction; returns their handles in input order. */
  async startMany(workflow: WorkflowRef, inputs: Array<Record<string, unknown>>) {
    const artifact = await this.resolveWorkflow(workflow);
    const ids = await this.engine.startMany(artifact, inputs);
    return ids.map((id) => this.handle(id));
  }

  /** A handle on an instance by its id (`handle<R>(id)` types its result). */
  handle<R = Json>(id: string): InstanceHandle<R> {
    return makeHandle<R>(this.handles, id);
  }

  /** What handles call back. */
  private readonly handles = {
    result: (id: string, o?: { timeoutMs?: number }) => this.result(id, o),
    status: (id: string) => this.status(id),
    cancel: (id: string, reason?: string) => this.engine.cancel(id, reason),
    send: (id: string, topic: string, message: unknown, o?: SendOptions) => this.send(id, topic, message, o),
    published: (id: string) => this.published(id),
    waitPublished: (id: string, key: string, o?: { timeoutMs?: number }) => this.waitPublished(id, key, o),
  };

  /**
   * Sends `message` to instance `id` on `topic`: its next `receive(topic)` (or one
   * already waiting) gets it. A repeated idempotency key stores it once. Rejects with
   * MessageRejectedError when there is no such instance or it has finished.
   */
  async send(id: string, topic: string, message: unknown, options: SendOptions = {}): Promise<void> {
    await this.engine.send(id, topic, message, options);
  }

  /** The latest value of every key the instance published: `{ key: value }`. */
  published(id: string): Promise<Record<string, Json>> {
    return this.publishedValues.read(id);
  }

  /** Waits (without polling) until the instance has published `key`, and returns its value. */
  waitPublished(id: string, key: string, options: { timeoutMs?: number } = {}): Promise<Json> {
    return this.publishedValues.wait(id, key, options);
  }

  /**
   * Waits for the instance to finish; returns its result or throws its error. It
   * learns of the end from a worker of this process (no read at all), else by
   * NOTIFY and one read, with a polling fallback for notifications lost while the
   * listening connection was down.
   */
  async result(id: string, options: { timeoutMs?: number } = {}): Promise<Json> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const hub = this.engine.hub;
    const early = hub.take(id);
    if (early) return this.settle(id, early);
    let finished: Finished | null = null;
    // A notification that lands while we read the row must not be lost: it sets `notified`.
    let notified = false;
    let wake: (() => void) | null = null;
    const offHub = hub.onFinished(id, (f) => {
      if (f) finished = f;
      // Released unfinished: read the row (a NOTIFY may have come first and been put off).
      else notified = true;
      wake?.();
    });
    const waiter = () => {
      notified = true;
      wake?.();
    };
    await this.subscribe();
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(waiter);
    this.sweep.start();
    // Started here and not announced finished since: nothing to read yet.
    let read = this.startedRunning.get(id) !== false;
    this.startedRunning.delete(id);
    try {
      for (;;) {
        if (finished) return this.settle(id, finished);
        // The NOTIFY of a commit can overtake the commit's own reply to a worker of
        // this process that is still busy with the instance: it will announce the
        // outcome (or let go of the instance), so no read is needed yet.
        const putOff = notified && hub.busyWith(id);
        notified = false;
        if (read && !putOff) {
          const done = await this.peek(id);
          if (done) return done.value;
        }
        read = true;
        if (finished) return this.settle(id, finished);
        if (Date.now() >= deadline) throw new Error(`timed out waiting for workflow instance ${id}`);
        if (notified) continue;
        // No poll of its own: a lost notification is caught by the client's sweep (done-sweep.ts).
        await wakeableWait(Math.min(MAX_TIMEOUT, deadline - Date.now()), (w) => (wake = w));
      }
    } finally {
      offHub();
      set.delete(waiter);
      if (set.size === 0) this.waiters.delete(id);
    }
  }

  /** Remembers an instance this client started while it runs (see `startedRunning`). */
  private track(id: string, status: InstanceStatus): void {
    if (status !== "running" && status !== "sleeping") return;
    if (this.startedRunning.size >= MAX_TRACKED) this.startedRunning.delete(this.startedRunning.keys().next().value!);
    this.startedRunning.set(id, false);
    this.engine.hub.watch(id);
  }

  /** The outcome a worker of this process announced, as `result()` returns it. */
  private settle(id: string, f: Finished): Json {
    if (f.status === "completed") return decodeWire(f.result) as Json;
    throw new WorkflowFailedError(f.error, id);
  }

  /** One LISTEN for the client's lifetime, fanned out to the result() calls waiting. */
  private subscribe(): Promise<void> {
    this.subscribed ??= this.db
      .listen(this.engine.q.channels.done, (payload) => {
        for (const id of payload.split(",")) {
          const waiting = this.waiters.get(id);
          if (waiting) for (const fn of waiting) fn();
          else if (this.startedRunning.has(id)) this.startedRunning.set(id, true);
        }
      })
      .then((unlisten) => {
        this.unlisten = unlisten;
      });
    return this.subscribed;
  }

  /** The result if the instance has finished, null while it runs; throws its error if it failed. */
  async peek(id: string): Promise<{ value: Json } | null> {
    // Status, result and error only: the state and input are most of a row.
    const [row] = isInstanceId(id) ? await this.engine.q.outcomes(this.db, [id]) : [];
    if (!row) throw new UnknownWorkflowError(`no workflow instance ${id}`);
    if (row.status === "completed") return { value: decodeWire(row.result) as Json };
    if (row.status === "failed" || row.status === "cancelled") {
      throw new WorkflowFailedError(row.error as unknown as ErrorValue, id);
    }
    return null;
  }

  async status(id: string): Promise<InstanceStatusReport> {
    const row = await this.engine.q.instance(this.db, id);
    if (!row) throw new UnknownWorkflowError(`no workflow instance ${id}`);
    return describeInstance(this.engine, row);
  }

  async list(limit = 20) {
    return this.engine.q.listInstances(this.db, limit);
  }

  /** Every schedule workers have registered, by name: spec, next tick, last instance and state. */
  schedules(): Promise<ScheduleInfo[]> {
    return scheduleQueries(this.engine.schema).list(this.db);
  }

  /** Stops a schedule's ticks until resumed (UnknownScheduleError for a name no worker registered). */
  pauseSchedule(name: string): Promise<ScheduleInfo> {
    return scheduleQueries(this.engine.schema).setPaused(this.db, name, true);
  }

  /** Ticks again from the next tick after now: ticks of the pause are not caught up. */
  resumeSchedule(name: string): Promise<ScheduleInfo> {
    return scheduleQueries(this.engine.schema).setPaused(this.db, name, false);
  }

  async close(): Promise<void> {
    this.sweep.stop();
    await this.unlisten?.();
    await this.publishedValues.close();
    if (this.owned) await this.db.close();
  }

  private async resolveWorkflow(workflow: WorkflowRef): Promise<Artifact> {
    if (typeof workflow === "string") {
      const def = await this.engine.q.latestDefinition(this.db, workflow);
      if (!def) throw new UnknownWorkflowError(`no workflow named '${workflow}' is registered`);
      return this.engine.artifact(this.db, def.hash);
    }
    return this.engine.register(artifactOf(workflow));
  }
}
