/**
 * A worker claims ready tasks for the actions it has (FOR UPDATE SKIP LOCKED, in
 * batches), runs them under a lease it renews by heartbeat, and hands each final
 * outcome to the engine, which advances the instance in the same transaction that
 * marks the task done. It also wakes due sleepers and frees tasks whose worker died.
 * Every loop survives database outages: errors are reported and retried with backoff.
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { DEFAULT_RETRY, resolveRetry, type ResolvedRetry } from "../api/retry.ts";
import { errorFromThrown, type ErrorValue } from "../interpreter/errors.ts";
import type { Db } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import { collectActions, type ActionSource } from "../local/actions.ts";
import { artifactOf, type WorkflowLike } from "../api/compiled.ts";
import { runAttempt } from "../local/attempt.ts";
import { Engine } from "./engine.ts";
import { GroupCommit } from "./group-commit.ts";
import type { TaskRow } from "./queries.ts";
import { PayloadError } from "../payload.ts";

export interface WorkerOptions {
  actions: ActionSource;
  /** Workflow artifacts to register at start (instances of others still run: definitions live in the database). */
  workflows?: WorkflowLike[];
  schema?: string;
  /** Tasks run at once (default 10). */
  concurrency?: number;
  /** Fallback poll interval when no notification arrives (default 1000 ms). */
  pollMs?: number;
  /** Lease on a claimed task; renewed every leaseMs / 3 (default 30 s). */
  leaseMs?: number;
  defaultRetry?: Partial<ResolvedRetry>;
  maxPayloadBytes?: number;
  /** Run migrations at start (default true). */
  migrate?: boolean;
  id?: string;
  onEvent?: (event: WorkerEvent) => void;
}

export type WorkerEvent =
  | { type: "claimed"; instanceId: string; callId: string; action: string; attempt: number }
  | { type: "completed"; instanceId: string; callId: string; action: string; attempt: number; ok: boolean }
  | { type: "retry"; instanceId: string; callId: string; action: string; attempt: number; delayMs: number; error: ErrorValue }
  | { type: "lease-lost"; instanceId: string; callId: string }
  | { type: "woke"; count: number }
  | { type: "error"; where: string; error: Error };

interface InFlight {
  task: TaskRow;
  abort: AbortController;
  done: Promise<void>;
}

export class Worker {
  readonly id: string;
  readonly engine: Engine;
  private readonly actions: Map<string, (...args: unknown[]) => unknown>;
  private readonly opts: Required<Pick<WorkerOptions, "concurrency" | "pollMs" | "leaseMs">> & WorkerOptions;
  private readonly retryDefault: ResolvedRetry;
  private readonly inFlight = new Map<string, InFlight>();
  /**
   * Keys of in-flight actions that have finished running and wait for their outcome
   * to commit: their slots go to the successors the commit claims locally.
   */
  private readonly settling = new Set<string>();
  /** In-flight actions per instance: its cached state (see StateCache) is kept while any runs. */
  private readonly perInstance = new Map<string, number>();
  private readonly actionNames: ReadonlySet<string>;
  private readonly commits: GroupCommit;
  private unlisten: Array<() => Promise<void>> = [];
  private running = false;
  /** Aborted by stop(): ends every wait of every loop at once. */
  private stopping = new AbortController();
  /** Set by a notification; the claim loop checks it before it goes idle, so no kick is lost. */
  private kicked = false;
  /** Earliest known wake-up (this process's clock; null: nobody sleeps), and whether it must be re-read. */
  private nextWake: number | null = null;
  private timersChanged = true;
  private wakeReadAt = 0;
  /**
   * The last claim may have left ready tasks behind (it was full, or there was no
   * free slot): a finishing action then makes the claim loop look again. Otherwise
   * new work announces itself by notification and finishing actions stay quiet.
   */
  private backlog = false;
  private wake: (() => void) | null = null;
  private loops: Promise<void>[] = [];

  constructor(readonly db: Db, options: WorkerOptions) {
    this.opts = { concurrency: 10, pollMs: 1000, leaseMs: 30_000, ...options };
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.engine = new Engine(db, { schema: options.schema, maxPayloadBytes: options.maxPayloadBytes });
    this.actions = collectActions(options.actions);
    this.actionNames = new Set(this.actions.keys());
    this.commits = new GroupCommit({
      engine: this.engine,
      workerId: this.id,
      // Slots free once every action whose outcome is known has left, for the batch's successors.
      localClaim: () => ({
        actions: this.actionNames,
        max: this.running ? this.opts.concurrency - (this.inFlight.size - this.settling.size) : 0,
        leaseMs: this.opts.leaseMs,
      }),
      launch: (task) => this.launch(task),
      running: () => this.running,
      report: (error) => this.report("complete", error),
    });
    this.retryDefault = resolveRetry(options.defaultRetry, DEFAULT_RETRY);
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.opts.migrate !== false) await migrate(this.db, this.engine.schema);
    for (const wf of this.opts.workflows ?? []) await this.engine.register(artifactOf(wf));
    const q = this.engine.q;
    await q.registerWorker(this.db, this.id, [...this.actions.keys()], (this.opts.workflows ?? []).map((w) => artifactOf(w).name));
    this.running = true;
    this.stopping = new AbortController();
    const kick = () => this.kick();
    this.unlisten = [
      await this.db.listen(q.channels.tasks, (payload) => {
        if (payload.split(",").some((a) => this.actions.has(a))) kick();
      }),
      await this.db.listen(q.channels.timers, () => {
        this.timersChanged = true;
        kick();
      }),
      await this.db.listen(q.channels.cancel, (id) => this.abortInstance(id)),
    ];
    this.loops = [this.claimLoop(), this.maintenanceLoop()];
  }

  /**
   * Graceful stop: claim nothing more, give running attempts `graceMs` to finish,
   * then abort the rest and release their tasks so another worker takes them at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopping.abort();
    this.wake?.();
    const all = [...this.inFlight.values()];
    const settled = Promise.all(all.map((f) => f.done));
    const grace = new AbortController();
    const timedOut = await Promise.race([settled.then(() => false), delay(graceMs, grace.signal).then(() => true)]);
    grace.abort();
    if (timedOut) {
      const left = [...this.inFlight.values()];
      for (const f of left) f.abort.abort(new Error("worker shutting down"));
      await this.engine.q
        .releaseWorker(this.db, this.id, left.map((f) => [f.task.instance_id, f.task.call_id]))
        .then(() => this.announce(left.map((f) => f.task.action)))
        .catch((e: Error) => this.report("release", e));
    }
    await Promise.all(this.loops);
    for (const un of this.unlisten) await un().catch(() => {});
    await this.engine.q.removeWorker(this.db, this.id).catch(() => {});
  }

  /** Resolves once the worker has nothing in flight (for tests and `cairn run`). */
  get busy(): number {
    return this.inFlight.size;
  }

  private async claimLoop(): Promise<void> {
    let backoff = 100;
    while (this.running) {
      try {
        const free = this.opts.concurrency - this.inFlight.size;
        let claimed = 0;
        if (free > 0 && this.actions.size > 0) {
          const tasks = await this.engine.q.claimTasks(this.db, this.id, [...this.actions.keys()], free, this.opts.leaseMs);
          for (const task of tasks) {
            if (task.instance) this.commits.seed(task.instance_id, task.instance);
            this.launch(task);
          }
          claimed = tasks.length;
          this.backlog = claimed === free;
        } else this.backlog = this.actions.size > 0;
        // Re-read at least once per poll interval: a notification sent while the
        // listening connection was down is lost.
        if (this.timersChanged || Date.now() - this.wakeReadAt >= this.opts.pollMs) await this.readNextWake();
        // Waking sleepers is a transaction, so it only runs when one is due.
        let woke = 0;
        if (this.nextWake !== null && Date.now() >= this.nextWake) {
          woke = await this.engine.wakeSleepers(50);
          this.timersChanged = true; // more may be due; or another worker woke them
        }
        if (woke) this.emit({ type: "woke", count: woke });
        backoff = 100;
        // Look again at once if the claim was full (more may be ready) or instances woke
        // (they may have dispatched); a claim that took less than it could has emptied
        // the queue, and new work will notify.
        if (this.backlog && claimed > 0) continue;
        if (woke > 0) continue;
        const untilWake = this.nextWake === null ? this.opts.pollMs : this.nextWake - Date.now() + 1;
        await this.idle(Math.max(0, Math.min(this.opts.pollMs, untilWake)));
      } catch (err) {
        this.report("claim", err as Error);
        await this.idle(backoff);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  /**
   * When the earliest sleeper is due, by the database's clock, as a time on this
   * process's clock (only a duration crosses between the two, so skew is harmless).
   */
  private async readNextWake(): Promise<void> {
    this.timersChanged = false;
    this.wakeReadAt = Date.now();
    const ms = await this.engine.q.untilNextWake(this.db);
    this.nextWake = ms === null ? null : Date.now() + ms;
  }

  private async maintenanceLoop(): Promise<void> {
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    while (this.running) {
      await delay(every, this.stopping.signal);
      if (!this.running) break;
      try {
        const keys = [...this.inFlight.values()].map((f): [string, string] => [f.task.instance_id, f.task.call_id]);
        await this.engine.q.renewLeases(this.db, this.id, keys, this.opts.leaseMs);
        await this.engine.q.heartbeatWorker(this.db, this.id);
        const freed = await this.engine.q.releaseExpired(this.db);
        if (freed.length) {
          await this.engine.q.appendHistory(
            this.db,
            freed.map((f) => ({ instanceId: f.instance_id, kind: "lease-expired", callId: f.call_id, data: { worker: f.worker_id, attempt: f.attempt } })),
          );
          await this.announce(freed.map((f) => f.action));
          this.kick();
        }
      } catch (err) {
        this.report("maintenance", err as Error);
      }
    }
  }

  /**
   * Tells every worker that tasks of these actions are ready again (released at
   * shutdown, or freed from a dead worker's leases): idle workers claim them now
   * instead of at their next poll.
   */
  private async announce(actions: string[]): Promise<void> {
    if (actions.length > 0) await this.engine.q.notify(this.db, "tasks", [...new Set(actions)].join(","));
  }

  private kick(): void {
    this.kicked = true;
    this.wake?.();
  }

  private async idle(ms: number): Promise<void> {
    if (this.kicked || !this.running) {
      this.kicked = false;
      return;
    }
    // A plain timer and callback: this runs after nearly every batch, and abort
    // signals cost a DOMException each.
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, ms);
      // Woken on the next turn of the event loop: every action finishing in this one
      // has then freed its slot, and one claim takes work for all of them.
      this.wake = () => {
        clearTimeout(timer);
        setImmediate(resolve);
      };
    });
    this.wake = null;
    this.kicked = false;
  }

  private launch(task: TaskRow): void {
    const key = `${task.instance_id}:${task.call_id}`;
    const abort = new AbortController();
    const entry: InFlight = { task, abort, done: Promise.resolve() };
    const id = task.instance_id;
    entry.done = this.execute(task, abort).finally(() => {
      this.inFlight.delete(key);
      this.settling.delete(key);
      const left = this.perInstance.get(id)! - 1;
      if (left > 0) this.perInstance.set(id, left);
      else {
        this.perInstance.delete(id);
        this.commits.forget(id);
      }
      if (this.backlog) this.kick();
    });
    this.inFlight.set(key, entry);
    this.perInstance.set(id, (this.perInstance.get(id) ?? 0) + 1);
  }

  private async execute(task: TaskRow, abort: AbortController): Promise<void> {
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    this.emit({ type: "claimed", instanceId, callId, action, attempt });
    // The attempt itself is already in the history: written by the claim that handed it to us.
    const idempotencyKey = `${instanceId}:${callId}`;
    const fn = this.actions.get(action);
    const options = (task.options ?? {}) as { retry?: Partial<ResolvedRetry>; timeout?: number };
    let outcome: { ok: true; value: Json } | { ok: false; error: ErrorValue; final: boolean };
    try {
      if (!fn) throw new Error(`this worker has no action '${action}'`);
      const value = await runAttempt(fn, task.args, {
        context: { workflowId: instanceId, actionId: callId, attempt, idempotencyKey },
        timeoutMs: options.timeout,
        parent: abort.signal,
        action,
      });
      outcome = { ok: true, value: this.engine.checkResult(action, value) };
    } catch (err) {
      // A result that cannot be stored would fail identically on every retry.
      outcome = { ok: false, error: errorFromThrown(err), final: err instanceof PayloadError };
    }
    if (abort.signal.aborted && !this.running) return; // released at shutdown; another worker re-runs it
    await this.settle(task, outcome, options);
  }

  private async settle(
    task: TaskRow,
    outcome: { ok: true; value: Json } | { ok: false; error: ErrorValue; final: boolean },
    options: { retry?: Partial<ResolvedRetry> },
  ): Promise<void> {
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    if (!outcome.ok && !outcome.final) {
      const policy = resolveRetry(options.retry, this.retryDefault);
      if (attempt < policy.attempts) {
        const delayMs = Math.min(policy.delay * policy.factor ** (attempt - 1), policy.maxDelay);
        await this.retrying(() => this.scheduleRetry(task, outcome.error, delayMs));
        return;
      }
    }
    this.settling.add(`${instanceId}:${callId}`);
    const applied = await this.commits.submit({ task, outcome: outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error } });
    if (applied) this.emit({ type: "completed", instanceId, callId, action, attempt, ok: outcome.ok });
    else if (applied === false) this.emit({ type: "lease-lost", instanceId, callId });
  }

  private async scheduleRetry(task: TaskRow, error: ErrorValue, delayMs: number): Promise<void> {
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    const at = await this.engine.q.retryTask(this.db, { instanceId, callId, workerId: this.id, attempt, delayMs, error: error as unknown as Json });
    if (at === null) return this.emit({ type: "lease-lost", instanceId, callId });
    this.emit({ type: "retry", instanceId, callId, action, attempt, delayMs, error });
  }

  /** Runs `fn` until it succeeds, backing off while the database is away; gives up at shutdown. */
  private async retrying(fn: () => Promise<void>): Promise<void> {
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 5000)) {
      try {
        return await fn();
      } catch (err) {
        this.report("complete", err as Error);
        if (!this.running && backoff >= 5000) return; // the lease will expire; another worker re-runs it
        await delay(backoff);
      }
    }
  }

  private abortInstance(instanceId: string): void {
    for (const f of this.inFlight.values()) {
      if (f.task.instance_id === instanceId) f.abort.abort(new Error("workflow cancelled"));
    }
  }

  private emit(event: WorkerEvent): void {
    this.opts.onEvent?.(event);
  }

  private report(where: string, error: Error): void {
    this.emit({ type: "error", where, error });
  }
}

/** Resolves after `ms`, or as soon as `signal` aborts. */
function delay(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(t);
      signal?.removeEventListener("abort", done);
      resolve();
    };
    const t = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
  });
}
