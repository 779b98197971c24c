import type { Json } from "../../ir-schema/index.ts";
import type { ErrorValue } from "./errors.ts";
import type { NormalizedCallOptions } from "../api/options.ts";

/**
 * The whole state of one workflow instance: JSON, except that values in `vars` may
 * hold NaN, ±Infinity and nested `undefined` as JavaScript would. `stateToJson` /
 * `stateFromJson` (codec.ts) convert it losslessly to and from a plain JSON value;
 * persisting that after any step and continuing from the reloaded copy is
 * indistinguishable from never having stopped.
 */
export interface State {
  /** State format version. */
  v: 1;
  workflow: string;
  /** Hash of the artifact this state belongs to; `advance` refuses another one. */
  hash: string;
  status: Status;
  /** Next thing to execute: `instrs[instr]`, or the terminator when `instr === instrs.length`. */
  pc: { block: number; instr: number };
  /** Workflow variables; a variable holding `undefined` is absent. */
  vars: Record<string, unknown>;
  /** Every action call dispatched so far, by call id. */
  calls: Record<string, CallRecord>;
  /** Number of calls resolved so far; gives each resolution its arrival order. */
  resolved: number;
  /** What a `waiting` workflow waits for; null otherwise. */
  wait: Wait | null;
  /** The return value of a `completed` workflow (absent for `undefined`). */
  result?: Json;
  /** The error that escaped a `failed` workflow. */
  error?: ErrorValue;
}

/** `running`: can make progress now. `waiting`: see `wait`. The other two are final. */
export type Status = "running" | "waiting" | "completed" | "failed";

/**
 * One dispatched call. Once it is resolved and no variable holds its handle any more,
 * `advance` drops its payload (`args`, `options`, `value`, `error`), keeping only the record.
 */
export interface CallRecord {
  action: string;
  args: Json[];
  options: NormalizedCallOptions;
  status: "pending" | "ok" | "failed";
  /** Result of an `ok` call (absent for `undefined`). */
  value?: Json;
  error?: ErrorValue;
  /** Arrival order among resolved calls (1-based); `all` fails with the earliest failure. */
  seq?: number;
}

export type Wait = CallsWait | SleepWait;

/** An `await` blocked on pending calls. */
export interface CallsWait {
  kind: "calls";
  mode: "one" | "all" | "allSettled";
  /** The calls still pending, by id. */
  pending: Record<string, true>;
  /** True once the await can proceed (`advance` does nothing useful before). */
  ready: boolean;
}

/** A `sleep` blocked until the clock reaches `until` (ms since epoch, or virtual ms). */
export interface SleepWait {
  kind: "sleep";
  until: number;
}

/** One action call the runner must execute. */
export interface Dispatch {
  callId: string;
  action: string;
  args: Json[];
  /** Durations already in ms; omitted retry fields mean "the runner's default". */
  options: NormalizedCallOptions;
}

export type Outcome = { ok: true; value?: Json } | { ok: false; error: ErrorValue };

export interface AdvanceResult {
  state: State;
  /** Calls dispatched by this step, in program order. */
  dispatch: Dispatch[];
}
