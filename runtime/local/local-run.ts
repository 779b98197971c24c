/**
 * One workflow instance run in memory (runLocal, startLocal): the interpreter
 * advanced step by step, actions called for real, messages, published values and
 * child workflows kept in this process. Runs started together (a parent and its
 * children) share a `LocalWorld`: the actions, the workflows children may be, the
 * clock, and the runs by id, which is where an in-workflow `send` finds its target.
 */
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { SystemActions } from "../../ir-schema/vocabulary.ts";
import type { Action } from "../api/action.ts";
import { MessageRejectedError } from "../api/errors.ts";
import type { ResolvedRetry } from "../api/retry.ts";
import { advance, isReady, resolve, start } from "../interpreter/machine.ts";
import type { Dispatch, Outcome, State } from "../interpreter/state.ts";
import { errorFromThrown, makeError } from "../interpreter/errors.ts";
import { stateFromJson, stateToJson } from "../interpreter/codec.ts";
import { WorkflowError } from "../workflow-error.ts";
import { checkArgs, checkPayload, checkResultOf, PayloadError } from "../payload.ts";
import { runCall } from "./call-runner.ts";
import type { Clock } from "../runner/clock.ts";
import type { LocalEvent } from "./events.ts";
import { Inbox } from "./inbox.ts";
import { writeLog } from "../runner/log-output.ts";
import { Mailbox } from "./mailbox.ts";

export interface LocalWorld {
  clock: Clock;
  actions: ReadonlyMap<string, Action>;
  /** Workflows a child call may start, by name (a workflow may always start itself). */
  workflows: ReadonlyMap<string, Artifact>;
  runs: Map<string, LocalRun>;
  defaultRetry: ResolvedRetry;
  maxChildDepth: number;
}

export class LocalRun {
  private state: State;
  private readonly inbox = new Inbox();
  private readonly mailbox = new Mailbox();
  private readonly stop = new AbortController();
  private readonly values = new Map<string, Json>();
  private readonly publishWaiters = new Set<() => void>();
  private readonly done: Promise<unknown>;
  private ended = false;

  constructor(
    private readonly world: LocalWorld,
    readonly artifact: Artifact,
    input: Record<string, unknown>,
    readonly id: string,
    private readonly depth: number,
    private readonly onEvent?: (event: LocalEvent) => void,
  ) {
    this.state = start(artifact, input);
    this.state.depth = depth || undefined;
    world.runs.set(id, this);
    this.done = this.run().finally(() => {
      this.ended = true;
      this.stop.abort();
      for (const fn of this.publishWaiters) fn();
    });
    // Awaited through result(); a run nobody awaits must not be an unhandled rejection.
    this.done.catch(() => {});
  }

  /** Resolves with the return value; rejects with a WorkflowError for an error that escaped the workflow. */
  result(): Promise<unknown> {
    return this.done;
  }

  /** Sends a message on `topic` (MessageRejectedError once the run has ended). */
  send(topic: string, message: unknown): void {
    if (typeof topic !== "string" || topic === "") throw new TypeError(`a message topic must be a non-empty string, not ${JSON.stringify(topic)}`);
    if (message === null || message === undefined) throw new TypeError(`a message cannot be ${String(message)}`);
    if (this.ended) throw new MessageRejectedError(`workflow instance ${this.id} has finished; it receives no more messages`);
    this.mailbox.put(topic, checkPayload(message, `message on topic '${topic}'`, "message") as Json);
  }

  /** The latest value of every key the workflow published. */
  published(): Record<string, Json> {
    return Object.fromEntries(this.values);
  }

  /** The value of `key` once published (at once if it is); rejects if the run ends without publishing it. */
  async waitPublished(key: string): Promise<Json> {
    for (;;) {
      if (this.values.has(key)) return this.values.get(key)!;
      if (this.ended) throw new Error(`workflow instance ${this.id} ended without publishing '${key}'`);
      await new Promise<void>((wake) => {
        const fn = () => {
          this.publishWaiters.delete(fn);
          wake();
        };
        this.publishWaiters.add(fn);
      });
    }
  }

  private emit(event: LocalEvent): void {
    if (!this.stop.signal.aborted) this.onEvent?.(event);
  }

  private async run(): Promise<unknown> {
    const { artifact, world } = this;
    const { clock } = world;
    for (;;) {
      const { dispatch, logs, published } = advance(artifact, this.state, clock.now());
      for (const entry of logs) writeLog(artifact.name, entry);
      for (const p of published) this.values.set(p.key, this.orFail(() => checkPayload(p.value, `published value '${p.key}'`, "value") as Json));
      if (published.length > 0) for (const fn of [...this.publishWaiters]) fn();
      for (const d of dispatch) this.dispatch(d);
      const state = this.state;
      if (state.status === "completed") {
        const result = this.orFail(() => checkResultOf(artifact.name, state.result));
        this.emit({ type: "complete", at: clock.now(), ...(result === undefined ? {} : { result: result as Json }) });
        return result;
      }
      if (state.status === "failed") {
        this.emit({ type: "fail", at: clock.now(), error: state.error! });
        throw new WorkflowError(state.error!);
      }
      // Continue from a reloaded copy: proves the state alone carries the run.
      this.state = stateFromJson(JSON.parse(JSON.stringify(stateToJson(state))));
      if (this.state.wait?.kind === "sleep") this.emit({ type: "sleep", at: clock.now(), until: this.state.wait.until });
      await this.untilReady();
    }
  }

  /** Starts one dispatched call; its outcome arrives in the inbox. */
  private dispatch(d: Dispatch): void {
    const { clock } = this.world;
    // The same check as a durable step's: arguments that cannot be stored fail the run.
    this.orFail(() => checkArgs(d.action, d.callId, d.args));
    this.emit({ type: "dispatch", at: clock.now(), callId: d.callId, action: d.action, args: d.args });
    const answer = (outcome: Outcome) => this.inbox.push({ callId: d.callId, outcome });
    const failed = (thrown: unknown): Outcome => ({ ok: false, error: errorFromThrown(thrown) });
    switch (d.action) {
      case SystemActions.receive:
        return this.receive(d.args[0] as string, d.args[1] as number | null, answer);
      case SystemActions.send: {
        const [to, topic, message] = d.args as [string, string, Json];
        const target = this.world.runs.get(to);
        try {
          if (!target) throw new MessageRejectedError(`no workflow instance ${to} in this local run`);
          target.send(topic, message);
          return answer({ ok: true });
        } catch (err) {
          return answer(failed(err));
        }
      }
      case SystemActions.child:
        return void this.child(d, answer).catch((err: unknown) => answer(failed(err)));
      default:
        void runCall(d, { ...this.world, workflowId: this.id, stop: this.stop.signal, emit: (e) => this.emit(e) }).catch(failed).then(answer);
    }
  }

  private receive(topic: string, timeoutMs: number | null, answer: (o: Outcome) => void): void {
    let settled = false;
    const cancel = this.mailbox.take(topic, (message) => {
      if (settled) return;
      settled = true;
      answer({ ok: true, value: message });
    });
    if (timeoutMs === null || settled) return;
    void this.world.clock.sleepUntil(this.world.clock.now() + timeoutMs, this.stop.signal).then(() => {
      if (settled || this.stop.signal.aborted) return;
      settled = true;
      cancel();
      answer({ ok: true, value: null });
    });
  }

  private async child(d: Dispatch, answer: (o: Outcome) => void): Promise<void> {
    const [name, args] = d.args as [string, Json[]];
    const depth = this.depth + 1;
    if (depth > this.world.maxChildDepth) {
      const message = `workflow ${name} would be a child ${depth} levels deep, over the limit of ${this.world.maxChildDepth} (a recursion that does not stop?)`;
      return answer({ ok: false, error: makeError("ChildDepthError", message) });
    }
    const artifact = name === this.artifact.name ? this.artifact : this.world.workflows.get(name);
    if (!artifact) throw new Error(`workflow ${this.artifact.name} starts workflow ${name} as a child, which was not given to the local run (its workflows option)`);
    const input: Record<string, unknown> = {};
    artifact.params.forEach((p, i) => {
      if (i < args.length && args[i] !== undefined) input[p] = args[i];
    });
    const kid = new LocalRun(this.world, artifact, input, `${this.id}/${d.callId}`, depth);
    // A local run ends with its children: nothing would take their results.
    this.stop.signal.addEventListener("abort", () => kid.stop.abort(), { once: true });
    try {
      const value = await kid.result();
      answer(value === undefined ? { ok: true } : { ok: true, value: value as Json });
    } catch (err) {
      answer({ ok: false, error: err instanceof WorkflowError ? err.error : errorFromThrown(err) });
    }
  }

  /** The checked value, or the run fails with the PayloadError, as a durable step would. */
  private orFail<T>(check: () => T): T {
    try {
      return check();
    } catch (err) {
      if (!(err instanceof PayloadError)) throw err;
      const error = errorFromThrown(err);
      this.emit({ type: "fail", at: this.world.clock.now(), error });
      throw new WorkflowError(error);
    }
  }

  /** Records arriving outcomes until the workflow can move: its await is satisfied or its sleep is over. */
  private async untilReady(): Promise<void> {
    const { clock } = this.world;
    let sleeping: Promise<void> | undefined;
    for (;;) {
      for (const { callId, outcome } of this.inbox.drain()) resolve(this.state, callId, outcome);
      if (isReady(this.state, clock.now())) return;
      const wait = this.state.wait;
      if (wait?.kind === "sleep") sleeping ??= clock.sleepUntil(wait.until, this.stop.signal);
      await Promise.race(sleeping ? [this.inbox.next(), sleeping] : [this.inbox.next()]);
    }
  }
}
