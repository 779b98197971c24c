import type { Json } from "../../ir-schema/index.ts";
import type { ErrorValue } from "./errors.ts";
import type { NormalizedCallOptions } from "../../ir-schema/call-options.ts";

/**
 * The whole state of one workflow instance, in memory. Values are JavaScript values
 * (values.ts): objects and arrays are shared by reference as JavaScript shares them,
 * numbers may be NaN, ±Infinity or -0, `undefined` may sit inside arrays and objects.
 * `stateToJson` / `stateFromJson` (codec.ts) convert it losslessly, sharing and cycles
 * included, to and from a plain JSON value; persisting that after any step and
 * continuing from the reloaded copy is indistinguishable from never having stopped.
 */
export interface State {
  /** State format version (of the JSON form; codec.ts still reads versions 1 and 2). */
  v: 3;
  workflow: string;
  /** Hash of the artifact this state belongs to; `advance` refuses another one. */
  hash: string;
  status: Status;
  /** Next thing to execute: `instrs[instr]`, or the terminator when `instr === instrs.length`. */
  pc: { block: number; instr: number };
  /** Workflow variables; a variable holding `undefined` is absent. */
  vars: Record<string, unknown>;
  /**
   * The calls that are still live, by call id: pending ones, and resolved ones whose
   * handle the workflow can still reach. `advance` drops the others when it stops,
   * so the state holds what the workflow can see, not its history.
   */
  calls: Record<string, CallRecord>;
  /**
   * Per call site, the loop counters of its last call (exec.ts advancesSite): how a
   * reused call id is still caught after its call was forgotten. One entry per site.
   */
  sites?: Record<string, number[]>;
  /**
   * How many parents the instance has (absent: none, a root). Kept in the state, which
   * every step has at hand, so a child's start can refuse a runaway recursion.
   */
  depth?: number;
  /** Number of calls resolved so far; gives each resolution its arrival order. */
  resolved: number;
  /** What a `waiting` workflow waits for; null otherwise. */
  wait: Wait | null;
  /**
   * The return value of a `completed` workflow (absent for `undefined`): a copy, plain
   * data, which may still hold what JSON cannot (NaN, -0, nested `undefined`, sharing);
   * whoever stores or sends it encodes it (runtime/payload.ts).
   */
  result?: Json;
  /** The error that escaped a `failed` workflow. */
  error?: ErrorValue;
}

/** `running`: can make progress now. `waiting`: see `wait`. The other two are final. */
export type Status = "running" | "waiting" | "completed" | "failed";

/** One live call (see `State.calls`). */
export interface CallRecord {
  /**
   * The action called, or the system action (ir-schema SystemActions) behind a
   * child workflow (`%child`, args `[workflow, args]`), a receive (`%receive`, args
   * `[topic, timeoutMs | null]`) or a send (`%send`, args `[instance, topic, message]`).
   */
  action: string;
  /** A copy of the arguments as dispatched, for `pendingCalls`. */
  args: Json[];
  options: NormalizedCallOptions;
  status: "pending" | "ok" | "failed";
  /** Result of an `ok` call (absent for `undefined`): the very value every `await` of its handle gives. */
  value?: unknown;
  /** What a failed call throws into the workflow (error-boundary.ts caughtValue): an ErrorObject, or a thrown non-Error value. */
  error?: unknown;
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
  /** A copy, plain data; like `State.result` it may hold NaN, -0 or `undefined`. */
  args: Json[];
  /** Durations already in ms; omitted retry fields mean "the runner's default". */
  options: NormalizedCallOptions;
}

export type Outcome = { ok: true; value?: Json } | { ok: false; error: ErrorValue };

export interface AdvanceResult {
  state: State;
  /** Calls dispatched by this step, in program order. */
  dispatch: Dispatch[];
  /**
   * `console.log(...)` and friends the workflow ran in this step, in program order.
   * A log instruction runs once (Cairn does not replay), so a runner that outputs
   * these as they come never repeats a line.
   */
  logs: LogEntry[];
  /** `publish(key, value)`s the workflow ran in this step, in program order (a later one of a key wins). */
  published: Published[];
}

/** One `publish(key, value)`: `value` is a copy, plain data (it may hold what JSON cannot, like a result). */
export interface Published {
  key: string;
  value: unknown;
}

/** One `console.<level>(...args)` of the workflow. */
export interface LogEntry {
  level: "log" | "info" | "warn" | "error" | "debug";
  /** The argument values, copied (they may hold undefined, NaN, nested arrays and objects, error values). */
  args: unknown[];
  /** Source position of the statement, `path:line:col`. */
  loc: string;
  /** Which execution of the statement: its site and the enclosing loops' counters, like a call id (`l2@3`). */
  callPosition: string;
}
