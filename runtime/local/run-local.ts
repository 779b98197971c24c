import { randomUUID } from "node:crypto";
import { assertArtifact, type Artifact, type Json } from "../../ir-schema/index.ts";
import { artifactOf, isCompiledWorkflow, type WorkflowLike } from "../api/compiled.ts";
import { DEFAULT_RETRY, normalizeRetry, resolveRetry, type RetryOptions } from "../api/retry.ts";
import { actionsCalled, collectActions, type ActionSource } from "../runner/actions.ts";
import { realClock, type Clock } from "../runner/clock.ts";
import type { LocalEvent } from "./events.ts";
import { LocalRun, type LocalWorld } from "./local-run.ts";

export interface RunLocalOptions {
  /** An iterable of actions, or an object whose action-wrapped values are taken (e.g. a module namespace). */
  actions: ActionSource;
  /**
   * Workflows the run may start as children (compiled handles or artifacts). Compiled
   * workflows found in an `actions` object (a bundled module's namespace) are taken too.
   */
  workflows?: WorkflowLike[];
  /** Messages waiting for the workflow from the start, in send order: `[{ topic, message }]`. */
  messages?: Array<{ topic: string; message: unknown }>;
  /** Default: real time. `virtualClock()` makes sleeps, receive timeouts and backoffs instant. */
  clock?: Clock;
  /** Retry policy of calls without one; default { attempts: 3, delay: 1000, factor: 2, maxDelay: 60000 }. */
  defaultRetry?: RetryOptions;
  onEvent?: (event: LocalEvent) => void;
  /** Reported to actions by `actionContext()`, and the run's instance id; default: a fresh id. */
  workflowId?: string;
  /** Deepest child of a child of ... the run (default 100): a deeper start fails with ChildDepthError. */
  maxChildDepth?: number;
}

/** A workflow running in memory: send it messages, read what it publishes, await its result. */
export interface LocalHandle {
  readonly id: string;
  send(topic: string, message: unknown): void;
  published(): Record<string, Json>;
  waitPublished(key: string): Promise<Json>;
  result(): Promise<unknown>;
}

/**
 * Runs a workflow in memory to completion with the real action functions. At every
 * suspension the state is round-tripped through JSON and the run continues from the
 * copy, so anything that would not survive persistence fails here too.
 *
 * Resolves with the return value (as JSON carries it); rejects with a
 * `WorkflowError` for an error that escaped the workflow.
 */
export async function runLocal(workflow: WorkflowLike, input: Record<string, unknown>, options: RunLocalOptions): Promise<unknown> {
  return startLocal(workflow, input, options).result();
}

/**
 * Starts a workflow in memory (see runLocal) and returns its handle at once, so a
 * test can drive it: send the messages a person or a webhook would, watch what it
 * publishes, then await its result.
 */
export function startLocal(workflow: WorkflowLike, input: Record<string, unknown>, options: RunLocalOptions): LocalHandle {
  const given = artifactOf(workflow);
  const artifact = assertArtifact(given, `workflow artifact ${given?.name ?? ""}`.trim());
  const actions = collectActions(options.actions);
  const workflows = collectWorkflows(options);
  for (const wf of [artifact, ...workflows.values()]) {
    for (const name of actionsCalled(wf)) {
      if (!actions.has(name)) throw new Error(`workflow ${wf.name} calls action '${name}', which was not provided`);
    }
  }
  const world: LocalWorld = {
    clock: options.clock ?? realClock(),
    actions,
    workflows,
    runs: new Map(),
    defaultRetry: resolveRetry(options.defaultRetry ? normalizeRetry(options.defaultRetry) : undefined, DEFAULT_RETRY),
    maxChildDepth: options.maxChildDepth ?? 100,
  };
  const run = new LocalRun(world, artifact, input, options.workflowId ?? `${artifact.name}-${randomUUID()}`, 0, options.onEvent);
  for (const m of options.messages ?? []) run.send(m.topic, m.message);
  return {
    id: run.id,
    send: (topic, message) => run.send(topic, message),
    published: () => run.published(),
    waitPublished: (key) => run.waitPublished(key),
    result: () => run.result(),
  };
}

function collectWorkflows(options: RunLocalOptions): Map<string, Artifact> {
  const out = new Map<string, Artifact>();
  const add = (w: WorkflowLike) => {
    const a = assertArtifact(artifactOf(w), "workflow artifact");
    out.set(a.name, a);
  };
  const source = options.actions;
  if (!(Symbol.iterator in Object(source))) {
    for (const value of Object.values(source)) if (isCompiledWorkflow(value)) add(value);
  }
  for (const w of options.workflows ?? []) add(w);
  return out;
}
