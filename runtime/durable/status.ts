/** What `cairn status <id>` shows: where an instance is, what it waits for and why, and its history. */
import { decodeWire } from "../payload.ts";
import type { Json } from "../../ir-schema/index.ts";
import { stateFromJson } from "../interpreter/codec.ts";
import type { Engine } from "./engine.ts";
import type { InstanceRow, InstanceStatus } from "./queries.ts";
import { locOf } from "./step.ts";

export interface TaskReport {
  callId: string;
  action: string;
  status: string;
  attempt: number;
  /** Why a task that has not finished is not running, when we can tell. */
  reason: string | null;
}

export interface InstanceStatusReport {
  id: string;
  workflow: string;
  hash: string;
  status: InstanceStatus;
  /** Source location the program is at (`file:line:col`). */
  at: string | null;
  wakeAt: string | null;
  result: Json | null;
  error: Json | null;
  tasks: TaskReport[];
  history: Array<{ at: string; kind: string; callId: string | null; data: Json }>;
}

/** A worker that has not heartbeated for this long no longer counts as live. */
const LIVE_WITHIN_MS = 60_000;

export async function describeInstance(engine: Engine, row: InstanceRow): Promise<InstanceStatusReport> {
  const { q, db } = engine;
  const [tasks, history, live] = await Promise.all([q.tasksOf(db, row.id), q.history(db, row.id), q.liveActions(db, LIVE_WITHIN_MS)]);
  let at: string | null = null;
  try {
    at = locOf(await engine.artifact(db, row.hash), stateFromJson(row.state));
  } catch {
    at = null;
  }
  return {
    id: row.id,
    workflow: row.workflow,
    hash: row.hash,
    status: row.status,
    at,
    wakeAt: row.wake_at === null ? null : new Date(row.wake_at).toISOString(),
    result: decodeWire(row.result) as Json,
    error: row.error,
    tasks: tasks.map((t) => ({
      callId: t.call_id,
      action: t.action,
      status: t.status,
      attempt: t.attempt,
      reason:
        t.status !== "ready"
          ? null
          : !live.has(t.action)
            ? `no live worker has action '${t.action}'`
            : t.run_at > row.now
              ? `retrying at ${new Date(t.run_at).toISOString()}`
              : "waiting for a free worker",
    })),
    history: history.map((h) => ({ at: new Date(h.at).toISOString(), kind: h.kind, callId: h.call_id, data: h.data })),
  };
}
