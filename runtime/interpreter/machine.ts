import type { Artifact, Json } from "../../ir-schema/index.ts";
import { checkPayload, PayloadError } from "../payload.ts";
import { InterpreterError, Raise, STACK_KEY, errorFromThrown } from "./errors.ts";
import { caughtValue, escapedError } from "./error-boundary.ts";
import { execInstr, execTerm, setVar, type Ctx } from "./exec.ts";
import type { AdvanceResult, CallRecord, Dispatch, Outcome, State } from "./state.ts";
import { ErrorObject, Handle, hasOwn, visitObjects } from "./values.ts";
import { copyValue } from "./copy.ts";

/** The input does not fit the workflow's parameters (a caller error, not a workflow failure). */
export class InputError extends Error {
  override name = "InputError";
}

/**
 * `input` as the workflow will see it: an object of its parameters, each a JSON
 * copy, at most `maxBytes` of JSON. The durable engine and the local runner both
 * check here, so bad input fails in the same words in tests and in production.
 */
export function checkInput(artifact: Artifact, input: unknown, maxBytes = Infinity): Record<string, Json> {
  const { name, params } = artifact;
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    throw new InputError(`input of workflow ${name} must be an object keyed by its parameters (${params.join(", ")})`);
  }
  let clean: Json | undefined;
  try {
    clean = checkPayload(input, `input of workflow ${name}`, "input", maxBytes) as Json;
  } catch (err) {
    if (err instanceof PayloadError) throw new InputError(err.message);
    throw err;
  }
  const unknown = Object.keys(clean as object).filter((k) => !params.includes(k));
  if (unknown.length > 0) {
    throw new InputError(`unknown input ${unknown.map((k) => `'${k}'`).join(", ")} for workflow ${name}; it takes (${params.join(", ")})`);
  }
  // A parameter with no default and no `?` must be given: left out, the workflow would
  // run (and call actions) with undefined where its signature promises a value.
  const optional = artifact.optional ?? [];
  const missing = params.filter((p) => !optional.includes(p) && !Object.prototype.hasOwnProperty.call(clean, p));
  if (missing.length > 0) {
    throw new InputError(`missing input ${missing.map((k) => `'${k}'`).join(", ")} for workflow ${name}; it takes (${params.join(", ")})`);
  }
  return clean as Record<string, Json>;
}

/** Initial state: parameters bound to copies of `input` (see checkInput), positioned at the program entry. */
export function start(artifact: Artifact, input: Record<string, unknown>): State {
  return initialState(artifact, checkInput(artifact, input));
}

/** start() for input checkInput already returned (the durable engine checks before its transaction). */
export function initialState(artifact: Artifact, clean: Record<string, Json>): State {
  const state: State = {
    v: 3,
    workflow: artifact.name,
    hash: artifact.hash,
    status: "running",
    pc: { block: artifact.program.entry, instr: 0 },
    vars: {},
    calls: {},
    resolved: 0,
    wait: null,
  };
  for (const param of artifact.params) {
    // A copy: the caller keeps `clean` (the durable engine stores it as the instance's input).
    if (hasOwn(clean, param)) setVar(state, param, copyValue(clean[param]));
  }
  return state;
}

export interface AdvanceOptions {
  /** Instructions run in one `advance` before it gives up on a loop that never waits. */
  maxSteps?: number;
}

/**
 * Runs the workflow until it must wait, completes or fails. Deterministic: the
 * only outside input is `now` (used for sleep deadlines). Takes ownership of
 * `state` (updates it in place and returns it), so persist a copy if you need the
 * old one. A waiting state that is not ready yet comes back unchanged.
 */
export function advance(artifact: Artifact, state: State, now: number, options: AdvanceOptions = {}): AdvanceResult {
  if (state.hash !== artifact.hash) {
    throw new InterpreterError(`state belongs to ${state.workflow} ${state.hash}, not ${artifact.name} ${artifact.hash}`);
  }
  const ctx: Ctx = { artifact, state, now, dispatch: [], logs: [], published: [] };
  if (state.status === "completed" || state.status === "failed") return { state, dispatch: [], logs: [], published: [] };
  if (state.status === "waiting") {
    const w = state.wait;
    if (w && (w.kind === "calls" ? !w.ready : now < w.until)) return { state, dispatch: [], logs: [], published: [] };
    state.status = "running";
  }
  const maxSteps = options.maxSteps ?? 10_000_000;
  for (let steps = 0; state.status === "running"; steps++) {
    if (steps >= maxSteps) {
      throw new InterpreterError(`workflow ${artifact.name} ran ${maxSteps} steps without waiting (an endless loop?)`);
    }
    const block = artifact.program.blocks[state.pc.block];
    if (!block) throw new InterpreterError(`no block ${state.pc.block} in ${artifact.name}`);
    try {
      if (state.pc.instr < block.instrs.length) {
        if (execInstr(block.instrs[state.pc.instr], ctx) === "suspend") state.status = "waiting";
        else state.pc.instr++;
      } else {
        execTerm(block.term, ctx);
      }
    } catch (e) {
      if (e instanceof Raise) {
        if (e.created && e.thrown instanceof ErrorObject) e.thrown.locate(frameAt(artifact, state));
        throwInto(artifact, state, e.thrown);
      } else if (e instanceof InterpreterError || !(e instanceof Error)) {
        throw e;
      } else {
        // A native operation the evaluator delegated to (JSON.parse, "x".repeat(-1), ...) threw:
        // its JavaScript stack is the interpreter's, the workflow's location says more.
        throwInto(artifact, state, caughtValue({ ...errorFromThrown(e), [STACK_KEY]: frameAt(artifact, state) }));
      }
    }
  }
  compactCalls(state);
  return { state, dispatch: ctx.dispatch, logs: ctx.logs, published: ctx.published };
}

/**
 * The stack of an error the workflow raised itself (it has no JavaScript one): one
 * frame, `at <workflow> (file.ts:12:5)`, the statement it is at.
 */
function frameAt(artifact: Artifact, state: State): string {
  const block = artifact.program.blocks[state.pc.block];
  const node = state.pc.instr < block.instrs.length ? block.instrs[state.pc.instr] : block.term;
  return node.loc ? `at ${artifact.name} (${node.loc})` : `at ${artifact.name}`;
}

/**
 * Drops the calls nothing can ask about any more: resolved, and their handle
 * unreachable from the variables. Their outcome can never be read again, so the
 * state stays proportional to what the workflow can still see instead of growing
 * with every call it ever made. Pending calls stay (the runner resolves them), and
 * so do resolved ones a handle still reaches (a deferred `await`).
 *
 * A reused call id is still reported (exec.ts): by the calls table while the call
 * is live, by the site's last loop counters (`state.sites`) once it is forgotten.
 */
function compactCalls(state: State): void {
  let anyResolved = false;
  for (const id in state.calls) {
    if (state.calls[id].status !== "pending") {
      anyResolved = true;
      break;
    }
  }
  if (!anyResolved) return;
  const live = new Set<string>();
  visitObjects(Object.values(state.vars), (o) => {
    if (o instanceof Handle) live.add(o.callId);
  });
  for (const id of Object.keys(state.calls)) {
    if (state.calls[id].status !== "pending" && !live.has(id)) delete state.calls[id];
  }
}

/**
 * Raises `thrown` (an ErrorObject, or any value the workflow rethrows) at the
 * current position: to the block's handler, or out of the workflow as an error value.
 */
function throwInto(artifact: Artifact, state: State, thrown: unknown): void {
  state.wait = null;
  const handler = artifact.program.blocks[state.pc.block].handler;
  if (!handler) {
    state.status = "failed";
    // What leaves the workflow is a copy, like a result.
    state.error = escapedError(thrown);
    return;
  }
  setVar(state, handler.bind, thrown);
  state.pc = { block: handler.block, instr: 0 };
  state.status = "running";
}

/**
 * Records the outcome of a dispatched call. Takes ownership of `state`. Resolving
 * an unknown call or one already resolved is an `InterpreterError` (a resolved call
 * the workflow can no longer reach has been forgotten, so resolving it again is
 * reported as unknown).
 */
export function resolve(state: State, callId: string, outcome: Outcome): State {
  if (!hasOwn(state.calls, callId)) throw new InterpreterError(`resolve: no call '${callId}' in this workflow`);
  const call = state.calls[callId];
  if (call.status !== "pending") throw new InterpreterError(`resolve: call '${callId}' was already resolved (${call.status})`);
  call.seq = ++state.resolved;
  if (outcome.ok) {
    call.status = "ok";
    // Copied in: the runner keeps its own value, and may reuse it.
    const value = copyValue(outcome.value);
    if (value !== undefined) call.value = value;
  } else {
    call.status = "failed";
    // What the workflow catches, made once, so every await of the handle sees the same object.
    call.error = caughtValue(outcome.error);
  }
  const wait = state.wait;
  if (wait?.kind === "calls" && hasOwn(wait.pending, callId)) {
    delete wait.pending[callId];
    wait.ready = wait.mode === "one" || (wait.mode === "all" && !outcome.ok) || isEmpty(wait.pending);
  }
  return state;
}

// Counting keys would make resolving an N-way fan-out quadratic.
function isEmpty(record: Record<string, unknown>): boolean {
  for (const _ in record) return false;
  return true;
}

/** Calls dispatched but not resolved yet: what a recovering runner must (re)start. */
export function pendingCalls(state: State): Dispatch[] {
  return Object.entries(state.calls)
    .filter(([, call]) => call.status === "pending")
    .map(([callId, call]) => ({ callId, action: call.action, args: copyValue(call.args), options: copyValue(call.options) }));
}

/** Whether `advance` would make progress at time `now`. */
export function isReady(state: State, now: number): boolean {
  if (state.status === "running") return true;
  if (state.status !== "waiting" || !state.wait) return false;
  return state.wait.kind === "calls" ? state.wait.ready : now >= state.wait.until;
}
