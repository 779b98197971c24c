/** Row types and SQL fragments shared by the query modules (see queries.ts). */
import type { Json } from "../../ir-schema/index.ts";

export type InstanceStatus = "running" | "sleeping" | "completed" | "failed" | "cancelled";

export interface InstanceRow {
  id: string;
  workflow: string;
  hash: string;
  status: InstanceStatus;
  input: Record<string, Json>;
  state: Json;
  version: number;
  result: Json | null;
  error: Json | null;
  idempotency_key: string | null;
  /** A child's parent, and the parent's call it answers (null for a root instance). */
  parent_id: string | null;
  parent_call: string | null;
  /** The trace context of the code that started it (runtime/telemetry/trace-context.ts), or null. */
  trace: Json | null;
  wake_at: number | null;
  created_at: number;
  updated_at: number;
  finished_at: number | null;
  /** The database clock when the row was read (ms since epoch). */
  now: number;
}

export interface TaskRow {
  instance_id: string;
  call_id: string;
  action: string;
  args: Json[];
  options: Json;
  status: "ready" | "running" | "waiting" | "done" | "failed" | "cancelled";
  attempt: number;
  run_at: number;
  lease_until: number | null;
  worker_id: string | null;
  last_error: Json | null;
  /** How long it waited ready before this claim took it, by the database's clock (absent: claimed in the write that made it). */
  queued_ms?: number;
}

/**
 * A claimed task with its instance as the claim read it: enough for the worker to
 * run the step that follows the action from memory (see StateCache in complete.ts).
 * Null when the instance is not running (its result will only be recorded).
 */
export interface ClaimedTask extends TaskRow {
  instance: { hash: string; version: number; state: Json; trace: Json | null } | null;
}

export interface NewTask {
  instanceId: string;
  callId: string;
  action: string;
  args: Json[];
  options: Json;
  /**
   * 'waiting': a receive or a child, which no worker claims until its answer is
   * there (deliver(), the child's end, the timeout); `delayMs` is then the time
   * to the timeout (null: none). Absent: ready now.
   */
  status?: "waiting";
  delayMs?: number | null;
}

export interface HistoryEvent {
  instanceId: string;
  kind: string;
  callId?: string;
  data?: Json;
}

export const ms = (col: string, as = col) => `(extract(epoch from ${col}) * 1000)::float8 AS ${as}`;
export const INSTANCE_COLS = `id, workflow, hash, status, input, state, version, result, error, idempotency_key, parent_id, parent_call, trace,
  ${ms("wake_at")}, ${ms("created_at")}, ${ms("updated_at")}, ${ms("finished_at")}, ${ms("clock_timestamp()", "now")}`;
export const taskCols = (t = "") =>
  `${t}instance_id, ${t}call_id, ${t}action, ${t}args, ${t}options, ${t}status, ${t}attempt, ${ms(`${t}run_at`, "run_at")},
  ${ms(`${t}lease_until`, "lease_until")}, ${t}worker_id, ${t}last_error`;
export const TASK_COLS = taskCols();

export interface NewInstance {
  id: string;
  workflow: string;
  hash: string;
  status: InstanceStatus;
  input: Json;
  state: Json;
  result?: Json;
  error?: Json;
  key: string | null;
  wakeAt: number | null;
  /** A child's parent instance and the parent's call it answers. */
  parentId?: string;
  parentCall?: string;
  /** See InstanceRow.trace. */
  trace: Json | null;
}

export const json = (v: unknown): string => JSON.stringify(v ?? null);
