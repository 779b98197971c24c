import type { Json } from "../../ir-schema/index.ts";
import { InterpreterError, type ErrorValue } from "./errors.ts";
import type { CallRecord, State, Wait } from "./state.ts";
import { HeapReader, HeapWriter } from "./heap-codec.ts";
import { stateFromJsonV1, stateHeader } from "./codec-v1.ts";
import { upgradeLegacyErrors } from "./legacy-errors.ts";
import { setOwn } from "./values.ts";

/**
 * The state as a plain JSON value, ready for JSON.stringify or a json column:
 *
 *   { v: 3, workflow, hash, status, pc, resolved, wait,
 *     vars: { name: value },
 *     calls: { callId: { action, status, seq?, args, options, value?, error? } },
 *     sites?: { site: [counter, ...] },
 *     depth?,
 *     result?, error?,
 *     heap: [entry, ...] }
 *
 * where every value (a variable, a call's args/options/value/error, the result, the
 * error) is encoded against the one heap table (heap-codec.ts), so objects shared
 * between any of them stay shared. Variable names and call ids are the compiler's
 * identifiers and counters, plain keys. Only what the state reaches is written.
 * Version 3 writes errors the workflow holds as error entries (heap-codec.ts);
 * versions 1 and 2 (plain-object errors) are still read (legacy-errors.ts).
 */
export function stateToJson(state: State): Json {
  const w = new HeapWriter();
  const vars: Record<string, Json> = {};
  for (const name of Object.keys(state.vars)) setOwn(vars, name, w.value(state.vars[name]));
  const calls: Record<string, Json> = {};
  for (const id of Object.keys(state.calls)) {
    const call = state.calls[id];
    const out: Record<string, Json> = { action: call.action, status: call.status };
    if (call.seq !== undefined) out.seq = call.seq;
    out.args = w.value(call.args);
    out.options = w.value(call.options);
    if (call.value !== undefined) out.value = w.value(call.value);
    if (call.error !== undefined) out.error = w.value(call.error);
    setOwn(calls, id, out);
  }
  const json: Record<string, Json> = {
    v: 3,
    workflow: state.workflow,
    hash: state.hash,
    status: state.status,
    pc: { block: state.pc.block, instr: state.pc.instr },
    resolved: state.resolved,
    wait: waitCopy(state.wait) as Json,
    vars,
    calls,
  };
  if (state.sites !== undefined) json.sites = sitesCopy(state.sites) as Json;
  if (state.depth !== undefined) json.depth = state.depth;
  if (state.result !== undefined) json.result = w.value(state.result);
  if (state.error !== undefined) json.error = w.value(state.error);
  json.heap = w.finish();
  return json;
}

/** Inverse of `stateToJson`; also reads formats 1 and 2. Shares nothing with `json`. */
export function stateFromJson(json: unknown): State {
  if (typeof json !== "object" || json === null || Array.isArray(json)) throw new InterpreterError("state: not an object");
  const j = json as Record<string, unknown>;
  if (j.v === 1) return upgradeLegacyErrors(stateFromJsonV1(j));
  if (j.v !== 2 && j.v !== 3) throw new InterpreterError(`state: unknown format version ${JSON.stringify(j.v)}`);
  const r = new HeapReader(j.heap);
  const state = stateHeader(j, waitCopy(j.wait as Wait | null));
  const vars = j.vars as Record<string, Json>;
  for (const name of Object.keys(vars)) setOwn(state.vars, name, r.value(vars[name]));
  const calls = j.calls as Record<string, Record<string, Json>>;
  for (const id of Object.keys(calls)) {
    const c = calls[id];
    const call = { action: c.action, status: c.status, args: r.value(c.args), options: r.value(c.options) } as CallRecord;
    if (c.seq !== undefined) call.seq = c.seq as number;
    if (c.value !== undefined) call.value = r.value(c.value);
    if (c.error !== undefined) call.error = r.value(c.error);
    setOwn(state.calls, id, call);
  }
  if (j.sites !== undefined) state.sites = sitesCopy(j.sites as Record<string, number[]>);
  if (j.result !== undefined) state.result = r.value(j.result) as Json;
  if (j.error !== undefined) state.error = r.value(j.error) as ErrorValue;
  return j.v === 2 ? upgradeLegacyErrors(state) : state;
}

function sitesCopy(sites: Record<string, number[]>): Record<string, number[]> {
  const out: Record<string, number[]> = {};
  for (const site of Object.keys(sites)) setOwn(out, site, [...sites[site]]);
  return out;
}

export function waitCopy(wait: Wait | null): Wait | null {
  if (wait === null) return null;
  if (wait.kind === "sleep") return { kind: "sleep", until: wait.until };
  const pending: Record<string, true> = {};
  for (const id of Object.keys(wait.pending)) setOwn(pending, id, true);
  return { kind: "calls", mode: wait.mode, pending, ready: wait.ready };
}
