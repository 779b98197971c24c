import type { Json } from "../../ir-schema/index.ts";
import type { ErrorValue } from "./errors.ts";
import type { CallRecord, State, Wait } from "./state.ts";
import { Handle, hasOwn, setOwn } from "./values.ts";

/**
 * Reads a state saved in format version 1, so instances saved before the heap
 * format continue: values were inline JSON trees (never shared), with NaN,
 * ±Infinity and `undefined` written as `{"%value": "NaN"}` and so on, and a handle
 * as `{"%handle": callId}` naming a call in the table. Records that had lost their
 * payload (resolved, unreachable calls) are dropped, as the current format does.
 */
/** A loaded state's scalar fields, in the current format, with no variables or calls yet (every format version shares them). */
export function stateHeader(j: Record<string, unknown>, wait: Wait | null): State {
  const pc = j.pc as State["pc"];
  const state: State = {
    v: 3,
    workflow: j.workflow as string,
    hash: j.hash as string,
    status: j.status as State["status"],
    pc: { block: pc.block, instr: pc.instr },
    vars: {},
    calls: {},
    resolved: j.resolved as number,
    wait,
  };
  if (typeof j.depth === "number") state.depth = j.depth;
  return state;
}

export function stateFromJsonV1(j: Record<string, unknown>): State {
  const rawCalls = j.calls as Record<string, Record<string, Json>>;
  const handles = new Map<string, Handle>();
  for (const id of Object.keys(rawCalls)) if (hasOwn(rawCalls[id], "args")) handles.set(id, new Handle(id));
  const value = (v: unknown): unknown => decodeV1(v, handles);
  const state = stateHeader(j, value(j.wait as Wait | null) as Wait | null);
  const vars = j.vars as Record<string, unknown>;
  for (const name of Object.keys(vars)) setOwn(state.vars, name, value(vars[name]));
  for (const id of handles.keys()) setOwn(state.calls, id, value(rawCalls[id]) as CallRecord);
  if (j.result !== undefined) state.result = value(j.result) as Json;
  if (j.error !== undefined) state.error = value(j.error) as ErrorValue;
  return state;
}

const SPECIAL: Readonly<Record<string, unknown>> = { NaN, Infinity, "-Infinity": -Infinity, undefined };

/** One inline value of the old format, decoded with an explicit stack. */
function decodeV1(root: unknown, handles: ReadonlyMap<string, Handle>): unknown {
  const single = (v: object): [boolean, unknown] => {
    const keys = Object.keys(v);
    if (keys.length !== 1 || Array.isArray(v)) return [false, undefined];
    const tag = (v as Record<string, unknown>)[keys[0]];
    if (typeof tag !== "string") return [false, undefined];
    if (keys[0] === "%value" && hasOwn(SPECIAL, tag)) return [true, SPECIAL[tag]];
    if (keys[0] === "%handle" && handles.has(tag)) return [true, handles.get(tag)];
    return [false, undefined];
  };
  const todo: Array<[source: object, target: object]> = [];
  const convert = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null) return v;
    const [special, out] = single(v);
    if (special) return out;
    const target = Array.isArray(v) ? [] : {};
    todo.push([v, target]);
    return target;
  };
  const result = convert(root);
  while (todo.length > 0) {
    const [source, target] = todo.pop()!;
    if (Array.isArray(source)) for (const item of source) (target as unknown[]).push(convert(item));
    else for (const key of Object.keys(source)) setOwn(target, key, convert((source as Record<string, unknown>)[key]));
  }
  return result;
}
