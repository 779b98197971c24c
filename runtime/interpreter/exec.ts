import { visit, type Artifact, type Json, type Expr, type Instr, type InstrVisitor, type NodeOf, type Term, type TermVisitor } from "../../ir-schema/index.ts";
import { normalizeCallOptions } from "../../ir-schema/call-options.ts";
import { parseDuration } from "../../ir-schema/duration.ts";
import { InterpreterError, Raise, typeError } from "./errors.ts";
import { loggedValue } from "./error-boundary.ts";
import type { CallRecord, Dispatch, LogEntry, Published, State } from "./state.ts";
import { SystemActions } from "../../ir-schema/vocabulary.ts";
import { findHandle, getOwn, handleCallId, makeHandle, setOwn } from "./values.ts";
import { copyValue } from "./copy.ts";
import { evalItems, evaluate, lookup, type Scope } from "./eval/evaluate.ts";
import { getMember, propertyKey, setMember } from "./eval/members.ts";
import { nextStep, type IteratorState } from "./eval/iterate.ts";

/** What one `advance` works with; `dispatch` collects the calls it starts. */
export interface Ctx {
  artifact: Artifact;
  state: State;
  now: number;
  dispatch: Dispatch[];
  /** What `console.log` and friends output in this advance. */
  logs: LogEntry[];
  /** What `publish` recorded in this advance, in program order. */
  published: Published[];
}

/** `next`: continue with the following instruction; `suspend`: the workflow now waits. */
export type InstrOutcome = "next" | "suspend";

const scopeOf = (state: State): Scope => ({ vars: state.vars, calls: state.calls, locals: null });
const ev = (expr: Expr, ctx: Ctx): unknown => evaluate(expr, scopeOf(ctx.state));

/**
 * Binds a variable to the value itself, as JavaScript does: an object or array is
 * shared with wherever else it is held. `undefined` makes the variable absent.
 */
export function setVar(state: State, name: string, value: unknown): void {
  if (value === undefined) Reflect.deleteProperty(state.vars, name);
  else setOwn(state.vars, name, value);
}

function walk(ctx: Ctx, target: string, keys: string[]): unknown {
  let object = lookup(target, scopeOf(ctx.state));
  for (const key of keys) object = getMember(object, key);
  return object;
}

/** A handle must be awaited before its call's result can be used as a value. */
function rejectHandles(value: unknown, ctx: Ctx, what: string): void {
  const id = findHandle(value);
  if (id !== undefined) throw typeError(`the action call '${id}' has not been awaited and cannot be ${what}; await it first`);
}

/** The instructions that dispatch something and bind a handle to it. */
type DispatchNode = NodeOf<Instr, "call" | "child" | "receive" | "send">;

function callId(node: DispatchNode | NodeOf<Instr, "log">, ctx: Ctx): string {
  if (node.iter.length === 0) return node.site;
  const values = node.iter.map((name) => String(getOwn(ctx.state.vars, name)));
  return `${node.site}@${values.join(".")}`;
}

/**
 * Whether this execution of a call site comes after the last one, and records it.
 * The compiler's loop counters (a call's `iter`, outermost first) start at 0 when
 * their loop is entered and grow by one per iteration, so at one site the tuple of
 * their values only ever increases (lexicographically); a site outside loops runs
 * once. A tuple that does not increase means a call id is being reused, which the
 * live calls alone cannot show once the earlier call is forgotten. One entry per site
 * keeps this bounded. Counters that are not numbers (hand-built IR) are not checked.
 */
function advancesSite(state: State, node: DispatchNode): boolean {
  const values: number[] = [];
  for (const name of node.iter) {
    const v = getOwn(state.vars, name);
    if (typeof v !== "number" || !Number.isFinite(v)) return true;
    values.push(v);
  }
  const sites = (state.sites ??= {});
  const last = getOwn(sites, node.site) as number[] | undefined;
  setOwn(sites, node.site, values);
  if (last === undefined || last.length !== values.length) return true;
  for (let i = 0; i < values.length; i++) if (values[i] !== last[i]) return values[i] > last[i];
  return false;
}

/** A reachable handle's call is never forgotten (machine.ts compactCalls); a missing one is a runtime bug. */
function callOf(state: State, id: string): CallRecord {
  if (!Object.prototype.hasOwnProperty.call(state.calls, id)) throw new InterpreterError(`await: the call '${id}' of a live handle is missing from the state`);
  return state.calls[id];
}

function awaitInstr(node: NodeOf<Instr, "await">, ctx: Ctx): InstrOutcome {
  const { state } = ctx;
  const value = ev(node.value, ctx);
  const bind = (v: unknown) => {
    if (node.target !== null) setVar(state, node.target, v);
    state.wait = null;
    return "next" as const;
  };
  if (node.mode === "one") {
    const id = handleCallId(value);
    if (id === undefined) return bind(value);
    const call = callOf(state, id);
    if (call.status === "pending") {
      state.wait = { kind: "calls", mode: "one", pending: { [id]: true }, ready: false };
      return "suspend";
    }
    if (call.status === "failed") throw new Raise(call.error);
    return bind(call.value);
  }
  const items = typeof value === "string" ? [...value] : value;
  if (!Array.isArray(items)) throw typeError(`${typeof value} ${String(value)} is not iterable (cannot read property Symbol(Symbol.iterator))`);
  const ids = items.map((item) => handleCallId(item));
  const pending: Record<string, true> = {};
  let firstFailure: string | undefined;
  for (const id of ids) {
    if (id === undefined) continue;
    const call = callOf(state, id);
    if (call.status === "pending") pending[id] = true;
    else if (call.status === "failed" && (firstFailure === undefined || call.seq! < state.calls[firstFailure].seq!)) firstFailure = id;
  }
  if (node.mode === "all" && firstFailure !== undefined) throw new Raise(state.calls[firstFailure].error);
  if (Object.keys(pending).length > 0) {
    state.wait = { kind: "calls", mode: node.mode, pending, ready: false };
    return "suspend";
  }
  const results = items.map((item, i) => {
    const id = ids[i];
    const call = id === undefined ? undefined : state.calls[id];
    if (node.mode === "all") return call ? call.value : item;
    if (call?.status === "failed") return { status: "rejected", reason: call.error };
    return { status: "fulfilled", value: call ? call.value : item };
  });
  return bind(results);
}

/** The argument list as dispatched: trailing `undefined`s dropped (default parameters still apply), copied. */
function positional(args: unknown[]): Json[] {
  let end = args.length;
  while (end > 0 && args[end - 1] === undefined) end--;
  // Copies: the callee must not see later mutations, nor mutate the workflow's objects.
  return copyValue(args.slice(0, end)) as Json[];
}

function describe(value: unknown): string {
  return value === null ? "null" : typeof value === "object" ? (Array.isArray(value) ? "an array" : "an object") : `${typeof value} ${String(value)}`;
}

/** Records a dispatched call (pending) and binds its handle; `what` names it in errors. */
function dispatch(n: DispatchNode, ctx: Ctx, action: string, args: Json[], options: Dispatch["options"], what: string): InstrOutcome {
  const { state } = ctx;
  const id = callId(n, ctx);
  if (Object.prototype.hasOwnProperty.call(state.calls, id) || !advancesSite(state, n)) {
    throw new InterpreterError(
      `call id '${id}' (${what} at ${n.loc}) was dispatched twice; the call's 'iter' counters must distinguish repeated executions`,
    );
  }
  setOwn(state.calls, id, { action, args, options, status: "pending" });
  ctx.dispatch.push({ callId: id, action, args: copyValue(args), options: copyValue(options) });
  setVar(state, n.target, makeHandle(id));
  return "next";
}

const instrs: InstrVisitor<InstrOutcome, Ctx> = {
  assign: (n, ctx) => {
    if (n.path.length === 0) {
      setVar(ctx.state, n.target, ev(n.value, ctx));
      return "next";
    }
    const keys = n.path.map((p) => propertyKey(ev(p, ctx)));
    const value = ev(n.value, ctx);
    setMember(walk(ctx, n.target, keys.slice(0, -1)), keys[keys.length - 1], value);
    return "next";
  },
  push: (n, ctx) => {
    const keys = n.path.map((p) => propertyKey(ev(p, ctx)));
    const array = walk(ctx, n.target, keys);
    if (array === null || array === undefined) getMember(array, "push");
    if (!Array.isArray(array)) throw typeError(`${[n.target, ...keys].join(".")}.push is not a function`);
    const items = ev(n.items, ctx);
    if (!Array.isArray(items)) throw new InterpreterError(`push at ${n.loc}: items must evaluate to an array`);
    for (const item of items) array.push(item);
    return "next";
  },
  call: (n, ctx) => {
    const args = ev(n.args, ctx);
    if (!Array.isArray(args)) throw new InterpreterError(`call at ${n.loc}: args must evaluate to an array`);
    rejectHandles(args, ctx, `passed to action '${n.action}'`);
    const options = n.options === null ? {} : normalizeCallOptions(ev(n.options, ctx));
    return dispatch(n, ctx, n.action, positional(args), options, `action '${n.action}'`);
  },
  child: (n, ctx) => {
    const args = ev(n.args, ctx);
    if (!Array.isArray(args)) throw new InterpreterError(`child at ${n.loc}: args must evaluate to an array`);
    rejectHandles(args, ctx, `passed to workflow '${n.workflow}'`);
    return dispatch(n, ctx, SystemActions.child, [n.workflow, positional(args)], {}, `workflow '${n.workflow}'`);
  },
  receive: (n, ctx) => {
    const topic = ev(n.topic, ctx);
    if (typeof topic !== "string") throw typeError(`receive: the topic must be a string, not ${describe(topic)}`);
    const timeout = n.timeout === null ? undefined : ev(n.timeout, ctx);
    const ms = timeout === undefined || timeout === null ? null : parseDuration(timeout, "receive timeout");
    return dispatch(n, ctx, SystemActions.receive, [topic, ms], {}, `receive '${topic}'`);
  },
  send: (n, ctx) => {
    const instance = ev(n.instance, ctx);
    const topic = ev(n.topic, ctx);
    const message = ev(n.message, ctx);
    if (typeof instance !== "string") throw typeError(`send: the instance id must be a string, not ${describe(instance)}`);
    if (typeof topic !== "string") throw typeError(`send: the topic must be a string, not ${describe(topic)}`);
    if (message === null || message === undefined) throw typeError(`send: a message cannot be ${String(message)}`);
    rejectHandles(message, ctx, "sent");
    return dispatch(n, ctx, SystemActions.send, [instance, topic, copyValue(message) as Json], {}, `send '${topic}'`);
  },
  publish: (n, ctx) => {
    const key = ev(n.key, ctx);
    if (typeof key !== "string") throw typeError(`publish: the key must be a string, not ${describe(key)}`);
    const value = ev(n.value, ctx);
    rejectHandles(value, ctx, "published");
    // A copy: later changes to the object are published by a later publish, not by this one.
    ctx.published.push({ key, value: copyValue(value) });
    return "next";
  },
  await: awaitInstr,
  next: (n, ctx) => {
    const it = getOwn(ctx.state.vars, n.iterator) as IteratorState | undefined;
    if (typeof it !== "object" || it === null) throw new InterpreterError(`next at ${n.loc}: '${n.iterator}' holds no iterator`);
    setVar(ctx.state, n.target, nextStep(it));
    return "next";
  },
  log: (n, ctx) => {
    // Copies: the runner may output them later, after the workflow has changed its objects.
    // An error is handed over as its error value, which runners print as `Name: message`.
    const args = evalItems(n.args, scopeOf(ctx.state)).map(loggedValue);
    ctx.logs.push({ level: n.level, args, loc: n.loc, callPosition: callId(n, ctx) });
    return "next";
  },
  sleep: (n, ctx) => {
    const { state } = ctx;
    if (state.wait?.kind !== "sleep") {
      const ms = parseDuration(ev(n.duration, ctx), "sleep duration");
      state.wait = { kind: "sleep", until: ctx.now + ms };
    }
    if (ctx.now < state.wait.until) return "suspend";
    state.wait = null;
    return "next";
  },
};

export function execInstr(instr: Instr, ctx: Ctx): InstrOutcome {
  return visit(instrs, instr, ctx);
}

const terms: TermVisitor<void, Ctx> = {
  jump: (n, ctx) => {
    ctx.state.pc = { block: n.to, instr: 0 };
  },
  branch: (n, ctx) => {
    ctx.state.pc = { block: ev(n.cond, ctx) ? n.then : n.else, instr: 0 };
  },
  return: (n, ctx) => {
    const { state } = ctx;
    const value = ev(n.value, ctx);
    rejectHandles(value, ctx, "returned");
    const result = copyValue(value) as State["result"];
    if (result === undefined) delete state.result;
    else state.result = result;
    state.status = "completed";
    state.wait = null;
  },
  throw: (n, ctx) => {
    // The compiler only rethrows what a catch bound: an error, or whatever else was thrown.
    throw new Raise(ev(n.value, ctx));
  },
};

export function execTerm(term: Term, ctx: Ctx): void {
  visit(terms, term, ctx);
}

