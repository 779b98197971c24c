/**
 * Child workflows: a step that dispatched `child` calls starts each child in that
 * same write (one statement with the parent's new state), so a child is started
 * exactly once however workers crash: either the parent's step and its children
 * commit together or neither does. The child's id is derived from the parent's id
 * and the call id, so even a step redone after a lost race names the same child.
 *
 * The parent's call waits as a 'waiting' task; the child's end makes it ready with
 * the outcome (write-step.ts `answered`, engine.end), and a worker applies that
 * like an action's outcome (system-tasks.ts).
 */
import { createHash } from "node:crypto";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { SystemActions } from "../../ir-schema/vocabulary.ts";
import { advance, initialState } from "../interpreter/index.ts";
import { errorFromThrown, makeError } from "../interpreter/errors.ts";
import { stateToJson } from "../interpreter/codec.ts";
import { decodeWire, encodeWire } from "../payload.ts";
import type { Queryable } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { isTransient } from "./fault.ts";
import { stepOutput, type StepOutput, type Writes } from "./step.ts";
import { now as clock } from "../telemetry/telemetry.ts";

/** The parent whose step is being written. */
export interface Parent {
  id: string;
  artifact: Artifact;
  /** Its stored trace context (see InstanceRow.trace), which its children share. */
  trace: Json | null;
}

/** A child's id: a UUID made from its parent's id and call id (the same child whenever that step is computed). */
export function childId(parentId: string, callId: string): string {
  const h = createHash("sha256").update(`cairn child\0${parentId}\0${callId}`).digest("hex");
  // Shaped as a version-8 (custom) UUID.
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h[16], 16) & 3) | 8).toString(16)}${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Starts the children `out` dispatched: each child's first step runs here and its
 * rows join `writes`; the parent's call becomes a waiting task, or a ready one with
 * the outcome when the child ended in its first step or could not start (unknown
 * workflow, bad input, too deep), which rejects the call with that error.
 * Recurses for children that start children in their first step.
 */
export async function startChildren(engine: Engine, q: Queryable, parent: Parent, out: StepOutput, writes: Writes, now: number): Promise<void> {
  for (const task of out.tasks) {
    if (task.action !== SystemActions.child) continue;
    const [workflow, args] = task.args as [string, Json[]];
    const id = childId(parent.id, task.callId);
    const answer = (outcome: Json) => {
      task.status = undefined;
      task.delayMs = undefined;
      task.args = [workflow, id, outcome];
    };
    const depth = (out.state.depth ?? 0) + 1;
    if (depth > engine.maxChildDepth) {
      const message = `workflow ${workflow} would be a child ${depth} levels deep, over the limit of ${engine.maxChildDepth} (a recursion that does not stop?)`;
      answer({ status: "failed", result: null, error: makeError("ChildDepthError", message) as unknown as Json });
      continue;
    }
    let child: StepOutput;
    let artifact: Artifact;
    try {
      artifact = await engine.childArtifact(q, workflow, parent.artifact);
      const clean = engine.checkInput(artifact, inputOf(artifact, decodeWire(args) as unknown[]));
      const state = initialState(artifact, clean);
      state.depth = depth;
      const startedAt = clock();
      child = stepOutput(id, artifact, advance(artifact, state, now), undefined, engine.maxPayloadBytes);
      // A child's spans belong to its parent's trace (the code that started the root).
      await startChildren(engine, q, { id, artifact, trace: parent.trace }, child, writes, now);
      const input = encodeWire(clean);
      writes.add(id, child, [{ instanceId: id, kind: "started", data: { workflow: artifact.name, hash: artifact.hash, input, parent: parent.id, call: task.callId } }]);
      writes.instances.push({
        id, workflow: artifact.name, hash: artifact.hash, status: child.status, input, state: stateToJson(child.state),
        result: child.result, error: child.error as unknown as Json, key: null, wakeAt: child.wakeAt, parentId: parent.id, parentCall: task.callId,
        trace: parent.trace,
      });
      writes.segment(id, artifact.name, parent.trace, startedAt, child);
    } catch (err) {
      if (isTransient(err)) throw err;
      answer({ status: "failed", result: null, error: errorFromThrown(err, engine.maxErrorBytes) as unknown as Json });
      continue;
    }
    out.events.push({ instanceId: parent.id, kind: "child", callId: task.callId, data: { workflow: artifact.name, id } });
    if (child.status === "completed" || child.status === "failed") {
      answer({ status: child.status, result: child.result ?? null, error: (child.error ?? null) as unknown as Json });
    } else {
      task.args = [workflow, id];
    }
  }
}

/** Positional arguments as the child's input object (extra arguments are ignored, as JavaScript ignores them). */
function inputOf(artifact: Artifact, args: unknown[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  artifact.params.forEach((p, i) => {
    if (i < args.length && args[i] !== undefined) input[p] = args[i];
  });
  return input;
}

/** Whether any instance these writes start sleeps (its deadline must come from the database's clock). */
export function startsSleeper(writes: Writes): boolean {
  return writes.instances.some((i) => i.status === "sleeping");
}
