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
  /** The instance that started this one as a child, and its call. */
  parent: { id: string; callId: string } | null;
  children: Array<{ id: string; workflow: string; status: string; callId: string }>;
  /** The latest value of each published key. */
  published: Record<string, Json>;
  /** Messages sent to it, received or still waiting for a receive of their topic. */
  messages: Array<{ seq: number; topic: string; message: Json; sentAt: string; receivedBy: string | null }>;
  history: Array<{ at: string; kind: string; callId: string | null; data: Json }>;
}

/** A worker that has not heartbeated for this long no longer counts as live. */
const LIVE_WITHIN_MS = 60_000;

export async function describeInstance(engine: Engine, row: InstanceRow): Promise<InstanceStatusReport> {
  const { q, db } = engine;
  const [tasks, history, live, children, published, messages] = await Promise.all([
    q.tasksOf(db, row.id), q.history(db, row.id), q.liveActions(db, LIVE_WITHIN_MS),
    q.childrenOf(db, row.id), q.publishedOf(db, row.id), q.messagesOf(db, row.id),
  ]);
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
        t.status === "waiting"
          ? waitingReason(t.action, t.args, t.run_at)
          : t.status !== "ready"
          ? null
          : !live.has(t.action)
            ? `no live worker has action '${t.action}'`
            : t.run_at > row.now
              ? `retrying at ${new Date(t.run_at).toISOString()}`
              : "waiting for a free worker",
    })),
    parent: row.parent_id === null ? null : { id: row.parent_id, callId: row.parent_call ?? "" },
    children: children.map((c) => ({ id: c.id, workflow: c.workflow, status: c.status, callId: c.parent_call })),
    published: Object.fromEntries(published.map((p) => [p.key, decodeWire(p.value) as Json])),
    messages: messages.map((m) => ({
      seq: Number(m.seq), topic: m.topic, message: decodeWire(m.message) as Json, sentAt: new Date(m.sent_at).toISOString(), receivedBy: m.received_by,
    })),
    history: history.map((h) => ({ at: new Date(h.at).toISOString(), kind: h.kind, callId: h.call_id, data: h.data })),
  };
}

/** What a waiting call waits for, in words. */
function waitingReason(action: string, args: Json[], runAt: number): string {
  if (action === "%receive") {
    const until = Number.isFinite(runAt) ? ` until ${new Date(runAt).toISOString()}` : "";
    return `waiting for a message on topic '${String(args[0])}'${until}`;
  }
  if (action === "%child") return `waiting for child workflow ${String(args[0])} (${String(args[1])})`;
  return "waiting";
}
