/**
 * A worker claims ready tasks for the actions it has (FOR UPDATE SKIP LOCKED, in
 * batches), runs them under a lease it renews by heartbeat, and hands each final
 * outcome to the engine, which advances the instance in the same transaction that
 * marks the task done. It also wakes due sleepers and frees tasks whose worker died.
 * Every loop survives database outages: errors are reported and retried with backoff.
 */
import { randomUUID } from "node:crypto";
import { context as otelContext, ROOT_CONTEXT } from "@opentelemetry/api";
import { hostname } from "node:os";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { backoffDelay, DEFAULT_RETRY, resolveRetry, type ResolvedRetry } from "../api/retry.ts";
import { makeError, type ErrorValue } from "../interpreter/errors.ts";
import type { Db } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import { collectActions } from "../runner/actions.ts";
import { artifactOf } from "../api/compiled.ts";
import { Engine } from "./engine.ts";
import { GroupCommit } from "./group-commit.ts";
import type { TaskRow } from "./queries.ts";
import type { LocalClaim, StateCache } from "./complete.ts";
import type { LocalWorker } from "./local-hub.ts";
import { isTransient } from "./fault.ts";
import { exhaustedOutcome, runTaskAttempt, type AttemptOutcome } from "./task-attempt.ts";
import { Pruner } from "./prune.ts";
import { Scheduler } from "./scheduler.ts";
import { isSystemAction } from "../../ir-schema/vocabulary.ts";
import { runSystemTask, SYSTEM_ACTIONS } from "./system-tasks.ts";

import { DEFAULT_ACTION_TIMEOUT_MS, DEFAULT_CONCURRENCY, DEFAULT_RETENTION_MS, type WorkerEvent, type WorkerOptions } from "./worker-options.ts";
import { delay } from "./abortable-delay.ts";
import { Doorbell } from "./doorbell.ts";
import { WakeClock } from "./wake-clock.ts";
import { InFlightSet, taskKey, type InFlight } from "./in-flight.ts";
import { maintenanceRound, type MaintenanceHost } from "./maintenance.ts";

export { DEFAULT_CONCURRENCY, DEFAULT_RETENTION_MS, DEFAULT_ACTION_TIMEOUT_MS, type WorkerOptions, type WorkerEvent } from "./worker-options.ts";

export class Worker implements LocalWorker {
  readonly id: string;
  readonly engine: Engine;
  private readonly actions: Map<string, (...args: unknown[]) => unknown>;
  private readonly opts: Required<Pick<WorkerOptions, "concurrency" | "pollMs" | "leaseMs" | "actionTimeoutMs" | "retentionMs">> & WorkerOptions;
  private readonly pruner: Pruner;
  private readonly retryDefault: ResolvedRetry;
  private readonly inFlight = new InFlightSet();
  private readonly actionNames: ReadonlySet<string>;
  private readonly commits: GroupCommit;
  private unlisten: Array<() => Promise<void>> = [];
  private running = false;
  /** Aborted by stop(): ends every wait of every loop at once. */
  private stopping = new AbortController();
  /** Rung by notifications of new work; the claim loop waits on it. */
  private readonly doorbell = new Doorbell();
  private readonly wakeClock: WakeClock;
  /** Earliest retry this worker scheduled (this process's clock): claimed on time, not at the next poll. */
  private nextRetry: number | null = null;
  /**
   * The last claim may have left ready tasks behind (it was full, or there was no
   * free slot): a finishing action then makes the claim loop look again. Otherwise
   * new work announces itself by notification and finishing actions stay quiet.
   */
  private backlog = false;
  private loops: Promise<void>[] = [];

  constructor(readonly db: Db, options: WorkerOptions) {
    this.opts = { concurrency: DEFAULT_CONCURRENCY, pollMs: 1000, leaseMs: 30_000, actionTimeoutMs: DEFAULT_ACTION_TIMEOUT_MS, retentionMs: DEFAULT_RETENTION_MS, ...options };
    this.id = options.id ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.engine = new Engine(db, {
      schema: options.schema, maxPayloadBytes: options.maxPayloadBytes, maxErrorBytes: options.maxErrorBytes,
      // Without a listener the engine's default (stderr) keeps logs from vanishing.
      onLog: options.onEvent ? (log) => this.emit({ type: "log", ...log }) : undefined,
    });
    this.actions = collectActions(options.actions);
    this.actionNames = new Set([...this.actions.keys(), ...SYSTEM_ACTIONS]);
    this.commits = new GroupCommit({
      engine: this.engine,
      workerId: this.id,
      // Slots free once every action whose outcome is known has left, for the batch's successors.
      localClaim: () => ({
        actions: this.actionNames,
        max: this.running ? this.opts.concurrency - this.inFlight.busy : 0,
        leaseMs: this.opts.leaseMs,
      }),
      launch: (task, leaseFrom) => this.launch(task, leaseFrom),
      running: () => this.running,
      report: (error) => this.report("complete", error),
    });
    this.retryDefault = resolveRetry(options.defaultRetry, DEFAULT_RETRY);
    this.pruner = new Pruner(db, this.engine.schema, this.opts.retentionMs);
    this.wakeClock = new WakeClock(this.engine, this.opts.pollMs);
  }

  async start(): Promise<void> {
    if (this.running) return;
    if (this.opts.migrate !== false) await migrate(this.db, this.engine.schema);
    for (const wf of this.opts.workflows ?? []) await this.engine.register(artifactOf(wf));
    // Its own loop, not the maintenance loop's: that one paces by the lease (10 s), a schedule's ticks by its spec.
    const scheduler = new Scheduler(this.engine, { pollMs: this.opts.pollMs, report: (e) => this.report("schedule", e), onEvent: (e) => this.emit(e) });
    await scheduler.register(this.opts.schedules, (this.opts.workflows ?? []).map(artifactOf));
    const q = this.engine.q;
    await q.registerWorker(this.db, this.id, [...this.actionNames], (this.opts.workflows ?? []).map((w) => artifactOf(w).name));
    this.running = true;
    this.stopping = new AbortController();
    const kick = () => this.kick();
    this.unlisten = [
      await this.db.listen(q.channels.tasks, (payload) => {
        if (payload.split(",").some((a) => this.actionNames.has(a))) kick();
      }),
      await this.db.listen(q.channels.timers, () => {
        this.wakeClock.invalidate();
        kick();
      }),
      await this.db.listen(q.channels.cancel, (id) => this.abortInstance(id)),
    ];
    // Outside whatever span is active where start() was called: the instances a schedule
    // starts begin traces of their own, they are not part of the code that started the worker.
    this.loops = otelContext.with(ROOT_CONTEXT, () => [this.claimLoop(), this.maintenanceLoop(), scheduler.loop(this.stopping.signal)]);
    this.engine.hub.addWorker(this);
  }

  /** See LocalWorker: room for the first tasks of an instance a client of this process starts. */
  claimForStart(): LocalClaim | null {
    if (!this.running) return null;
    const max = this.opts.concurrency - this.inFlight.busy;
    return max > 0 ? { actions: this.actionNames, max, leaseMs: this.opts.leaseMs } : null;
  }

  /** See LocalWorker. */
  holds(instanceId: string): boolean {
    return this.inFlight.holds(instanceId);
  }

  /** See LocalWorker: runs tasks a start wrote already claimed by this worker. */
  adoptStarted(tasks: TaskRow[], leaseFrom: number, states: StateCache): void {
    for (const task of tasks) {
      const state = states.get(task.instance_id);
      if (state) this.commits.seed(task.instance_id, state);
      this.launch(task, leaseFrom);
    }
  }

  /**
   * Graceful stop: claim nothing more, give running attempts `graceMs` to finish,
   * then abort the rest and release their tasks so another worker takes them at once.
   */
  async stop(graceMs = 10_000): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.engine.hub.removeWorker(this);
    this.stopping.abort();
    this.doorbell.ring();
    const all = this.inFlight.all();
    const settled = Promise.all(all.map((f) => f.done));
    const grace = new AbortController();
    const timedOut = await Promise.race([settled.then(() => false), delay(graceMs, grace.signal).then(() => true)]);
    grace.abort();
    if (timedOut) {
      const left = this.inFlight.all();
      for (const f of left) f.abort.abort(new Error("worker shutting down"));
      const interrupted = makeError("WorkerStoppedError", `the worker ${this.id} stopped during this attempt`);
      await this.engine.q
        .releaseWorker(this.db, this.id, left.map((f) => [f.task.instance_id, f.task.call_id]), interrupted as unknown as Json)
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
        if (free > 0) {
          const sent = Date.now();
          const tasks = await this.engine.q.claimTasks(this.db, this.id, [...this.actionNames], free, this.opts.leaseMs);
          // Definitions not seen yet: read now, for the workflow names of log lines and spans (the step reads them anyway).
          await this.loadDefinitions(tasks.map((t) => t.instance?.hash));
          for (const task of tasks) {
            if (task.instance) this.commits.seed(task.instance_id, task.instance);
            this.launch(task, sent);
          }
          claimed = tasks.length;
          this.backlog = claimed === free;
        } else this.backlog = true;
        await this.wakeClock.refresh();
        let woke = 0;
        if (this.wakeClock.due()) {
          woke = await this.engine.wakeSleepers(50);
          // Receives whose timeout passed: ready with no message (claimed by the next round).
          woke += await this.engine.q.expireReceives(this.db, 100);
          this.wakeClock.invalidate(); // more may be due; or another worker woke them
        }
        if (woke) this.emit({ type: "woke", count: woke });
        backoff = 100;
        // Look again at once if the claim was full (more may be ready) or instances woke
        // (they may have dispatched); a claim that took less than it could has emptied
        // the queue, and new work will notify.
        if (this.backlog && claimed > 0) continue;
        if (woke > 0) continue;
        if (this.nextRetry !== null && Date.now() >= this.nextRetry) {
          this.nextRetry = null;
          continue; // a retry is due: claim it now
        }
        const next = Math.min(this.wakeClock.earliest, this.nextRetry ?? Infinity);
        const until = next === Infinity ? this.opts.pollMs : next - Date.now() + 1;
        await this.doorbell.wait(Math.max(0, Math.min(this.opts.pollMs, until)), !this.running);
      } catch (err) {
        this.report("claim", err as Error);
        await this.doorbell.wait(backoff, !this.running);
        backoff = Math.min(backoff * 2, 5000);
      }
    }
  }

  private async maintenanceLoop(): Promise<void> {
    const every = Math.max(50, Math.floor(this.opts.leaseMs / 3));
    const host: MaintenanceHost = {
      engine: this.engine, id: this.id, leaseMs: this.opts.leaseMs, pruner: this.pruner, inFlight: this.inFlight,
      isRunning: () => this.running,
      emit: (e) => this.emit(e),
      announce: (actions) => this.announce(actions),
      kick: () => this.kick(),
    };
    while (this.running) {
      await delay(every, this.stopping.signal);
      if (!this.running) break;
      try {
        await maintenanceRound(host);
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

  /** See LocalWorker. */
  kick(): void {
    this.doorbell.ring();
  }

  private launch(task: TaskRow, leaseFrom: number): void {
    const abort = new AbortController();
    const hash = this.commits.hashOf(task.instance_id);
    const workflow = hash === undefined ? undefined : this.engine.knownWorkflowName(hash);
    const entry: InFlight = { task, abort, done: Promise.resolve(), leaseUntil: leaseFrom + this.opts.leaseMs, workflow };
    entry.done = this.execute(entry).finally(() => {
      if (this.inFlight.remove(task)) {
        // Its cached state is kept only while an attempt of it runs here.
        this.commits.forget(task.instance_id);
        this.engine.hub.released(task.instance_id);
      }
      if (this.backlog) this.kick();
    });
    this.inFlight.add(entry);
  }

  private async execute(entry: InFlight): Promise<void> {
    const { task, abort } = entry;
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    // The claim may have come back after this process stalled (a pause, a long GC)
    // past the lease: another worker may be running it already.
    // (Not in inFlight yet: these two events name the workflow themselves.)
    const { workflow } = entry;
    if (Date.now() >= entry.leaseUntil) return this.emit({ type: "lease-lost", instanceId, workflow, callId });
    this.emit({ type: "claimed", instanceId, workflow, callId, action, attempt });
    // The attempt itself is already in the history: written by the claim that handed it to us.
    const options = (task.options ?? {}) as { retry?: Partial<ResolvedRetry>; timeout?: number };
    const policy = resolveRetry(options.retry, this.retryDefault);
    let outcome: AttemptOutcome;
    if (isSystemAction(action)) outcome = await runSystemTask(task, this.engine);
    else if (attempt > policy.attempts) outcome = exhaustedOutcome(task, policy);
    else {
      const span = this.engine.telemetry.attempt({
        action, workflow, instanceId, callId, attempt, workerId: this.id, trace: this.commits.traceOf(instanceId), queuedMs: task.queued_ms ?? 0,
      });
      outcome = await runTaskAttempt(task, this.actions.get(action), {
        signal: abort.signal,
        // The call's own timeout, else the worker's default (0: none).
        timeoutMs: options.timeout ?? (this.opts.actionTimeoutMs > 0 ? this.opts.actionTimeoutMs : undefined),
        policy,
        engine: this.engine,
        trace: span.context,
      });
      span.end(outcome.ok ? outcome : { ok: false, error: outcome.error, retrying: !outcome.final && attempt < policy.attempts });
    }
    if (abort.signal.aborted && !this.running) return; // released at shutdown; another worker re-runs it
    if (abort.signal.aborted && abort.signal.reason instanceof Error && abort.signal.reason.message === "lease lost") return;
    await this.settle(task, outcome, policy);
  }

  private async settle(task: TaskRow, outcome: AttemptOutcome, policy: ResolvedRetry): Promise<void> {
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    if (!outcome.ok && !outcome.final && attempt < policy.attempts) {
      const delayMs = backoffDelay(policy, attempt);
      if (await this.retrying(() => this.scheduleRetry(task, outcome.error, delayMs))) return;
      // Writing the retry failed for good: the call fails now instead.
    }
    this.inFlight.settle(task);
    const applied = await this.commits.submit({ task, outcome: outcome.ok ? { ok: true, value: outcome.value } : { ok: false, error: outcome.error } });
    if (applied) this.emit({ type: "completed", instanceId, callId, action, attempt, ok: outcome.ok });
    else if (applied === false) this.emit({ type: "lease-lost", instanceId, callId });
  }

  private async scheduleRetry(task: TaskRow, error: ErrorValue, delayMs: number): Promise<void> {
    const { instance_id: instanceId, call_id: callId, action, attempt } = task;
    const at = await this.engine.q.retryTask(this.db, { instanceId, callId, workerId: this.id, attempt, delayMs, error: error as unknown as Json });
    if (at === null) return this.emit({ type: "lease-lost", instanceId, callId });
    const due = Date.now() + delayMs;
    if (this.nextRetry === null || due < this.nextRetry) {
      this.nextRetry = due;
      this.kick(); // the claim loop re-arms its wait for the earlier time
    }
    this.emit({ type: "retry", instanceId, callId, action, attempt, delayMs, error });
  }

  /**
   * Runs `fn` until it succeeds (true), backing off while the database is away;
   * gives up at shutdown (true: the lease will expire and another worker re-runs
   * it). False when it failed for a reason retrying cannot fix.
   */
  private async retrying(fn: () => Promise<void>): Promise<boolean> {
    for (let backoff = 100; ; backoff = Math.min(backoff * 2, 5000)) {
      try {
        await fn();
        return true;
      } catch (err) {
        this.report("complete", err as Error);
        if (!isTransient(err)) return false;
        if (!this.running && backoff >= 5000) return true;
        await delay(backoff);
      }
    }
  }

  private abortInstance(instanceId: string): void {
    for (const f of this.inFlight.all()) {
      if (f.task.instance_id === instanceId) f.abort.abort(new Error("workflow cancelled"));
    }
  }

  private emit(event: WorkerEvent): void {
    const { onEvent } = this.opts;
    if (!onEvent) {
      // No listener: errors still reach stderr rather than vanish (everything else is progress).
      if (event.type === "error") console.error(`cairn worker ${this.id}: ${event.where}: ${event.error.message} (retrying)`);
      return;
    }
    if ("instanceId" in event && "callId" in event && event.workflow === undefined) {
      const workflow = this.inFlight.get(taskKey({ instance_id: event.instanceId, call_id: event.callId }))?.workflow;
      if (workflow !== undefined) return onEvent({ ...event, workflow });
    }
    onEvent(event);
  }

  private async loadDefinitions(hashes: ReadonlyArray<string | undefined>): Promise<void> {
    for (const hash of new Set(hashes)) {
      if (hash !== undefined && this.engine.knownWorkflowName(hash) === undefined) await this.engine.artifact(this.db, hash).catch(() => {});
    }
  }

  private report(where: string, error: Error): void {
    this.emit({ type: "error", where, error });
  }
}
