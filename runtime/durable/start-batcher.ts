/**
 * Group start: the `start()` calls a client makes in one turn of the event loop
 * (a burst of requests, a loop that starts many instances) are written together,
 * one statement per workflow and up to MAX_BATCH instances, instead of one
 * statement each. Each call still gets its own outcome: an input whose first step
 * fails rejects only its own call.
 */
import { setImmediate as nextTurn } from "node:timers/promises";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import type { Engine } from "./engine.ts";
import type { InstanceStatus } from "./queries.ts";
import { startInstances } from "./start.ts";

const MAX_BATCH = 500;

interface Pending {
  input: Record<string, Json>;
  /** The span of this start call (runtime/telemetry): made in the caller's context, ended when its batch is written. */
  span: ReturnType<Engine["telemetry"]["startSpan"]>;
  resolve: (started: { id: string; status: InstanceStatus }) => void;
  reject: (error: unknown) => void;
}

export class StartBatcher {
  private queues = new Map<string, { artifact: Artifact; items: Pending[] }>();
  private scheduled = false;

  constructor(private readonly engine: Engine) {}

  /** Starts one instance of `artifact` with a checked input (see Engine.checkInput), batched with the others of this turn. */
  start(artifact: Artifact, input: Record<string, Json>): Promise<{ id: string; status: InstanceStatus }> {
    // Now, not at the flush: the flush runs outside the caller's context (its active span).
    const span = this.engine.telemetry.startSpan(artifact.name);
    return new Promise((resolve, reject) => {
      let queue = this.queues.get(artifact.hash);
      if (!queue) this.queues.set(artifact.hash, (queue = { artifact, items: [] }));
      queue.items.push({
        input, span,
        resolve: (started) => (span.end([started.id]), resolve(started)),
        reject: (error) => (span.end([], error), reject(error)),
      });
      if (!this.scheduled) {
        this.scheduled = true;
        void nextTurn().then(() => this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const queues = [...this.queues.values()];
    this.queues = new Map();
    await Promise.all(queues.map(({ artifact, items }) => this.run(artifact, items)));
  }

  private async run(artifact: Artifact, items: Pending[]): Promise<void> {
    for (let at = 0; at < items.length; at += MAX_BATCH) {
      const batch = items.slice(at, at + MAX_BATCH);
      try {
        const inputs = batch.map((p) => ({ input: p.input, trace: p.span.carrier as Json | null }));
        const outcomes = await startInstances(this.engine, artifact, inputs, undefined, this.engine.hub.workerFor());
        outcomes.forEach((o, k) => ("error" in o ? batch[k].reject(o.error) : batch[k].resolve(o)));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    }
  }
}
