/**
 * The durable engine: every state transition of a workflow instance feeds an event
 * to the pure interpreter and writes the outcome in one statement (write-step.ts)
 * that saves the new state with a version check, enqueues what the step dispatched
 * and appends its history. A step works from the state its worker already holds
 * (complete.ts) or, when that is stale, from the row locked; either way a
 * transition happens exactly once; actions run at least once, idempotency keys
 * making repeats harmless.
 */
import { createHash } from "node:crypto";
import { assertArtifact, type Artifact, type Json } from "../../ir-schema/index.ts";
import { checkInput, InputError } from "../interpreter/index.ts";
import type { Outcome } from "../interpreter/state.ts";
import { MAX_ERROR_BYTES, type ErrorValue } from "../interpreter/errors.ts";
import type { Db, Queryable } from "../store/db.ts";
import { queries, type InstanceStatus, type Queries, type TaskRow } from "./queries.ts";
import type { Committed, InstanceLog } from "./step.ts";
import { startInstances, type StartOutcome } from "./start.ts";
import { hubFor, type LocalHub } from "./local-hub.ts";
import { formatLog } from "../runner/log-output.ts";
import { DuplicateStartError } from "./write-step.ts";
import { completeBatch, type Completion, type CompletionResult, type LocalClaim, type StateCache } from "./complete.ts";
import { checkPayload, stringProblem } from "../payload.ts";
import { wakeSleepers } from "./wake.ts";
import { sendMessage, type SendOptions } from "./messages.ts";
import { Telemetry } from "../telemetry/telemetry.ts";
import { endInstance } from "./end-instance.ts";

export interface EngineOptions {
  schema?: string;
  /** Largest JSON payload (input, argument list, result) accepted, in bytes. Default 1 MiB. */
  maxPayloadBytes?: number;
  /** Largest error kept, in bytes of JSON; a larger one is truncated (see capError). Default 64 KiB. */
  maxErrorBytes?: number;
  /** Where a workflow's `console.*` calls go once their step has committed; default: stderr. */
  onLog?: (log: InstanceLog) => void;
  /** Deepest child of a child of ... a root instance (default 100): a deeper start fails the call with ChildDepthError. */
  maxChildDepth?: number;
}

/** Longest idempotency key stored as written; a longer one is stored as its SHA-256 (an index entry has a size limit). */
const MAX_KEY_CHARS = 200;

/**
 * The form an idempotency key is stored in: as written, or `sha256:<hex>` for a
 * long one. Keys Postgres text cannot hold (NUL, an unpaired surrogate) are refused.
 */
export function storedKey(key: string): string {
  if (typeof key !== "string" || key === "") throw new InvalidInputError("an idempotency key must be a non-empty string");
  const problem = stringProblem(key);
  if (problem !== undefined) throw new InvalidInputError(`the idempotency key has ${problem}`);
  return key.length <= MAX_KEY_CHARS ? key : `sha256:${createHash("sha256").update(key).digest("hex")}`;
}

export class UnknownWorkflowError extends Error {
  override name = "UnknownWorkflowError";
}
/** An InputError from the durable engine (its own name kept for callers that check it). */
export class InvalidInputError extends InputError {
  override name = "InvalidInputError";
}

export class Engine {
  readonly q: Queries;
  readonly schema: string;
  readonly maxPayloadBytes: number;
  readonly maxErrorBytes: number;
  readonly maxChildDepth: number;
  private readonly onLog: (log: InstanceLog) => void;
  /** This process's clients and workers on the same database and schema (local-hub.ts). */
  readonly hub: LocalHub;
  /** Spans and metrics through @opentelemetry/api (no-ops unless the application registered an SDK). */
  readonly telemetry = new Telemetry();
  /** Validated artifacts by hash; an artifact never changes once stored. */
  private readonly artifacts = new Map<string, Artifact>();
  /** Artifact objects validated and stored (or being stored) by `register`. */
  private readonly registered = new WeakMap<object, Promise<Artifact>>();
  /** The hash registered here last for each workflow name: the version a child of that name runs. */
  private readonly byName = new Map<string, string>();

  constructor(readonly db: Db, options: EngineOptions = {}) {
    this.schema = options.schema ?? "cairn";
    this.q = queries(this.schema);
    this.hub = hubFor(db, this.schema);
    this.maxPayloadBytes = options.maxPayloadBytes ?? 1024 * 1024;
    this.maxErrorBytes = options.maxErrorBytes ?? MAX_ERROR_BYTES;
    this.maxChildDepth = options.maxChildDepth ?? 100;
    this.onLog = options.onLog ?? ((log) => process.stderr.write(formatLog(`${log.workflow} ${log.instanceId}`, log.entry)));
  }

  /** The name of the workflow stored under `hash`, when this engine has its artifact already (no read). */
  knownWorkflowName(hash: string): string | undefined {
    return this.artifacts.get(hash)?.name;
  }

  /** Stores a workflow definition under its content hash (idempotent). */
  register(artifact: unknown): Promise<Artifact> {
    // The same object registered again (every start of a handle) needs neither the
    // schema check nor the INSERT, and a burst of first starts shares one INSERT; a
    // different object is always checked in full.
    const isObject = typeof artifact === "object" && artifact !== null;
    const known = isObject ? this.registered.get(artifact) : undefined;
    if (known) return known;
    const valid = assertArtifact(artifact, "workflow artifact");
    const stored = this.q.putDefinition(this.db, valid.hash, valid.name, valid as unknown as Json).then(
      () => {
        this.artifacts.set(valid.hash, valid);
        this.byName.set(valid.name, valid.hash);
        return valid;
      },
      (err: unknown) => {
        if (isObject) this.registered.delete(artifact);
        throw err;
      },
    );
    if (isObject) this.registered.set(artifact, stored);
    return stored;
  }

  async artifact(q: Queryable, hash: string): Promise<Artifact> {
    const cached = this.artifacts.get(hash);
    if (cached) return cached;
    const ir = await this.q.getDefinition(q, hash);
    if (ir === null) throw new UnknownWorkflowError(`no workflow definition with hash ${hash}`);
    // Re-validated on load: the database is not trusted to hold what we wrote.
    const valid = assertArtifact(ir, `stored definition ${hash}`);
    this.artifacts.set(hash, valid);
    return valid;
  }

  /**
   * The definition a child named `name` runs, chosen when it starts (and kept by
   * its instance): the parent's own for a workflow calling itself; else the one this
   * process registered (a worker registers the build it serves, which is the build
   * the parent's code came from); else the latest stored under that name.
   */
  async childArtifact(q: Queryable, name: string, parent: Artifact): Promise<Artifact> {
    if (name === parent.name) return parent;
    const hash = this.byName.get(name) ?? (await this.q.latestDefinition(q, name))?.hash ?? null;
    if (hash === null) throw new UnknownWorkflowError(`no workflow named ${name} is registered (workflow ${parent.name} starts it as a child)`);
    return this.artifact(q, hash);
  }

  /**
   * Sends a message to instance `id` on `topic` (see messages.ts); throws
   * MessageRejectedError when there is no such instance or it has finished.
   */
  send(id: string, topic: string, message: unknown, options: SendOptions = {}): Promise<{ duplicate: boolean }> {
    return sendMessage(this, id, topic, message, options);
  }

  /**
   * Starts an instance: validates the input, runs the program to its first
   * suspension and enqueues what it dispatched, in one statement (start.ts). A
   * repeated idempotency key returns the existing instance instead.
   */
  async start(artifact: Artifact, input: unknown, key?: string): Promise<{ id: string; created: boolean; status?: InstanceStatus }> {
    const idempotencyKey = key === undefined ? undefined : storedKey(key);
    if (idempotencyKey !== undefined) {
      const existing = await this.q.instanceByKey(this.db, idempotencyKey);
      if (existing) return { id: existing.id, created: false };
    }
    const clean = this.checkInput(artifact, input);
    const span = this.telemetry.startSpan(artifact.name);
    let outcome: StartOutcome;
    try {
      [outcome] = await startInstances(this, artifact, [{ input: clean, trace: span.carrier as Json | null }], idempotencyKey, this.hub.workerFor());
      span.end("id" in outcome ? [outcome.id] : [], "error" in outcome ? outcome.error : undefined);
    } catch (err) {
      span.end([], err instanceof DuplicateStartError ? undefined : err);
      if (!(err instanceof DuplicateStartError)) throw err;
      // Lost a race on the key: the winner's instance is the one.
      const existing = await this.q.instanceByKey(this.db, idempotencyKey!);
      if (!existing) throw new Error(`instance with idempotency key ${JSON.stringify(idempotencyKey)} vanished`);
      return { id: existing.id, created: false };
    }
    if ("error" in outcome) throw outcome.error;
    return { id: outcome.id, created: true, status: outcome.status };
  }

  /**
   * Starts one instance per input in a single statement (all inputs are checked,
   * and their first steps run, before anything is written). Returns the new ids in
   * input order; with an idempotency key that is already taken, nothing is created
   * and [] is returned.
   */
  async startMany(artifact: Artifact, inputs: unknown[], key?: string): Promise<string[]> {
    const idempotencyKey = key === undefined ? undefined : storedKey(key);
    const span = this.telemetry.startSpan(artifact.name, inputs.length);
    const trace = span.carrier as Json | null;
    try {
      const initial = inputs.map((input) => ({ input: this.checkInput(artifact, input), trace }));
      const outcomes = await startInstances(this, artifact, initial, idempotencyKey, this.hub.workerFor(), true);
      const ids = outcomes.map((o) => ("id" in o ? o.id : ""));
      span.end(ids);
      return ids;
    } catch (err) {
      span.end([], err instanceof DuplicateStartError ? undefined : err);
      if (err instanceof DuplicateStartError) return [];
      throw err;
    }
  }

  /** Checks one input (InvalidInputError when it does not fit the workflow). */
  checkInput(artifact: Artifact, input: unknown): Record<string, Json> {
    try {
      return checkInput(artifact, input, this.maxPayloadBytes);
    } catch (err) {
      throw err instanceof InputError ? new InvalidInputError(err.message) : err;
    }
  }

  /**
   * Applies an action's final outcome to its instance. Returns false when the task
   * is no longer this worker's (its lease expired and another attempt owns it, or
   * the instance was cancelled): then nothing is applied.
   */
  async complete(task: TaskRow, workerId: string, outcome: Outcome): Promise<boolean> {
    const { applied } = await this.completeMany(workerId, [{ task, outcome }]);
    return applied.has(`${task.instance_id}:${task.call_id}`);
  }

  /** Applies many outcomes in one transaction; see complete.ts. */
  completeMany(workerId: string, items: readonly Completion[], claim?: LocalClaim, cache?: StateCache): Promise<CompletionResult> {
    return completeBatch(this, this.db, workerId, items, claim, cache);
  }

  /**
   * Wakes up to `limit` instances whose sleep is over; returns how many it handled
   * (wake.ts: one bad sleeper never keeps the others asleep).
   */
  wakeSleepers(limit: number): Promise<number> {
    return wakeSleepers(this, limit);
  }

  /**
   * After a write committed: its logs go to the runner's logger (default: stderr),
   * and the instances it finished are announced to this process's clients.
   */
  committed({ logs, finished, receives, published, segments }: Committed): void {
    this.telemetry.segments(segments);
    // A receive that began to wait may have its message already: match them now.
    if (receives.length > 0) void this.deliver(receives);
    for (const p of published) this.hub.published(p.instanceId, p.key, p.value);
    for (const log of logs) {
      try {
        this.onLog(log);
      } catch {
        // A logger that throws must not undo or stall a step that has committed.
      }
    }
    for (const [id, f] of finished) this.hub.finished(id, f);
  }

  /**
   * Matches waiting receives with their messages (the database's deliver()), one
   * (instance, topic) at a time. A failure here loses nothing: the worker's
   * maintenance round matches whatever is left (deliverStranded).
   */
  async deliver(pairs: ReadonlyArray<readonly [string, string]>): Promise<void> {
    const seen = new Set<string>();
    for (const [id, topic] of pairs) {
      const key = `${id}\0${topic}`;
      if (seen.has(key)) continue;
      seen.add(key);
      try {
        if ((await this.q.deliver(this.db, id, topic)) > 0) this.hub.kick();
      } catch {
        // Left for deliverStranded.
      }
    }
  }

  /** Stops an instance: no further steps run, queued tasks are dropped, workers abort running attempts. */
  async cancel(id: string, reason = "cancelled"): Promise<boolean> {
    const error: ErrorValue = { name: "CancelledError", message: reason, ancestry: ["CancelledError", "Error"] };
    const done = await endInstance(this, id, "cancelled", error, { kind: "cancelled", data: { reason } });
    if (done === null) throw new UnknownWorkflowError(`no workflow instance ${id}`);
    return done;
  }

  /**
   * Fails an instance the engine cannot advance (see fault.ts), in a transaction of
   * its own; false when it had already finished or does not exist.
   */
  async failInstance(id: string, error: ErrorValue): Promise<boolean> {
    return (await endInstance(this, id, "failed", error, { kind: "failed", data: { error: error as unknown as Json, engine: true } })) === true;
  }

  /** Checks an action's result before it enters workflow state. */
  checkResult(action: string, value: unknown): unknown {
    return checkPayload(value, `result of action '${action}'`, "result", this.maxPayloadBytes);
  }

}
