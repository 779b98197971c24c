/**
 * Narrow forms of a step's write (write-step.ts) for the steps almost every
 * instance takes, on the path from start() to result():
 *
 * A start of one root instance whose first action this worker runs itself
 * (isNarrowStart): the instance, its first task already claimed, its history.
 *
 * A step where one instance applied one action's outcome and either stays
 * running, with at most one next action that this worker runs itself, or ends
 * (completed or failed: its parent's call answered, if it has one, and its end
 * announced). Five data-modifying CTEs on plain parameters instead of the general
 * statement's nine over JSON record sets: the write between one action and the
 * next went from 0.48-0.58 ms of execution to ~0.3 (bench/README.md). Same rows,
 * same checks (the version, the lease), same all-or-nothing failure.
 */
import type { Json } from "../../ir-schema/index.ts";
import type { Queryable } from "../store/db.ts";
import { json } from "./sql.ts";
import type { StepWrite } from "./write-step.ts";

/** Whether `w` is such a step (anything else takes the general statement). */
export function isNextStep(w: StepWrite): boolean {
  if (w.instances.length !== 0 || w.saves.length !== 1 || w.finished.length !== 1) return false;
  if (w.queued.length !== 0 || w.claimed.length > 1 || w.published.length !== 0) return false;
  const save = w.saves[0]!;
  const id = save.id;
  if (save.wakeAt !== null || w.finished[0]!.instanceId !== id || !w.events.every((e) => e.instanceId === id)) return false;
  if (save.status === "running") {
    return save.result === undefined && save.error === undefined && w.notifications.length === 0 && w.claimed.every((t) => t.instanceId === id);
  }
  // An end: nothing runs next, and the one notification says this instance is done.
  const ends = save.status === "completed" || save.status === "failed";
  return ends && w.claimed.length === 0 && w.notifications.length === 1 && w.notifications[0]!.payload === id;
}

/** SQL NULL for an absent value, as the general statement stores it (json_to_recordset turns JSON null into NULL). */
const nullable = (v: Json | undefined): string | null => (v === undefined || v === null ? null : json(v));

/** Writes a step `isNextStep` accepted; throws with `stale` in the message, having written nothing, when a check fails. */
export async function writeNextStep(q: Queryable, s: string, stale: string, workerId: string | null, leaseMs: number, w: StepWrite): Promise<{ saved: number; finished: number }> {
  const save = w.saves[0]!;
  const done = w.finished[0]!;
  const [row] = await q.query<{ saved: number; finished: number }>(
    `WITH saved AS (
       UPDATE ${s}.instances i SET status = $7, state = $3::text::json, result = $8::text::json, error = $9::text::json,
              wake_at = NULL, version = i.version + 1, updated_at = clock_timestamp(),
              finished_at = CASE WHEN $7 IN ('completed', 'failed') THEN clock_timestamp() END
        WHERE i.id = $1 AND i.version = $2
       RETURNING i.id, i.parent_id, i.parent_call, i.workflow, i.status, i.result, i.error),
     -- A child that ends here answers its parent's call (as in the general statement).
     answered AS (
       UPDATE ${s}.tasks t SET status = 'ready', run_at = clock_timestamp(),
              args = json_build_array(c.workflow, c.id, json_build_object('status', c.status, 'result', c.result, 'error', c.error))
         FROM saved c
        WHERE c.parent_id IS NOT NULL AND c.status IN ('completed', 'failed')
          AND t.instance_id = c.parent_id AND t.call_id = c.parent_call AND t.status = 'waiting'
       RETURNING 1),
     fin AS (
       UPDATE ${s}.tasks SET status = CASE WHEN $6 THEN 'done' ELSE 'failed' END, lease_until = NULL
        WHERE instance_id = $1 AND call_id = $4 AND worker_id = ${TAIL(12).worker} AND attempt = $5 AND status = 'running'
       RETURNING 1),
     ${tailCtes(s, 12)}
     SELECT (SELECT count(*)::int FROM saved) AS saved, (SELECT count(*)::int FROM fin) AS finished,
            (SELECT count(pg_notify($10, $1::text))::int FROM (SELECT 1 WHERE $10::text IS NOT NULL) n) AS notified,
            (SELECT count(pg_notify($11, '%child'))::int FROM (SELECT 1 FROM answered LIMIT 1) a) AS answered,
            -- All or nothing, as in the general statement: a failed check fails the cast.
            CASE WHEN (SELECT count(*) FROM saved) = 1 AND (SELECT count(*) FROM fin) = 1 THEN 0
                 ELSE ('${stale}: saved ' || (SELECT count(*) FROM saved) || ' of 1, finished ' || (SELECT count(*) FROM fin) || ' of 1')::int END AS guard`,
    [
      save.id, save.version, json(save.state), done.callId, done.attempt, done.ok,
      save.status, nullable(save.result), nullable(save.error), w.notifications[0]?.channel ?? null, w.tasksChannel,
      ...tailParams(w, workerId, leaseMs),
    ],
  );
  return { saved: row!.saved, finished: row!.finished };
}

/** Whether `w` starts one root instance that runs on, its first action (if any) claimed here. */
export function isNarrowStart(w: StepWrite): boolean {
  if (w.instances.length !== 1 || w.saves.length !== 0 || w.finished.length !== 0 || w.queued.length !== 0) return false;
  if (w.claimed.length > 1 || w.published.length !== 0 || w.notifications.length !== 0) return false;
  const i = w.instances[0]!;
  return (
    i.status === "running" && i.wakeAt === null && i.result === undefined && i.error === undefined && i.parentId === undefined &&
    w.claimed.every((t) => t.instanceId === i.id) && w.events.every((e) => e.instanceId === i.id)
  );
}

/** Writes a start `isNarrowStart` accepted; throws with `duplicate` in the message, having written nothing, when its idempotency key is taken. */
export async function writeNarrowStart(q: Queryable, s: string, duplicate: string, workerId: string | null, leaseMs: number, w: StepWrite): Promise<{ saved: number; finished: number }> {
  const i = w.instances[0]!;
  await q.query(
    `WITH ins AS (
       INSERT INTO ${s}.instances (id, workflow, hash, status, input, state, idempotency_key, trace)
       VALUES ($1, $2, $3, 'running', $4::text::json, $5::text::json, $6, $7::text::json)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1),
     ${tailCtes(s, 8)}
     SELECT CASE WHEN (SELECT count(*) FROM ins) = 1 THEN 0
                 ELSE ('${duplicate}: inserted ' || (SELECT count(*) FROM ins) || ' of 1')::int END AS started`,
    [i.id, i.workflow, i.hash, json(i.input), json(i.state), i.key, nullable(i.trace), ...tailParams(w, workerId, leaseMs)],
  );
  return { saved: 0, finished: 0 };
}

/** The parameter numbers of what both narrow writes end with, from `$at` on (see tailParams). */
const TAIL = (at: number) => ({
  call: `$${at}`, action: `$${at + 1}`, args: `$${at + 2}`, options: `$${at + 3}`, worker: `$${at + 4}`, lease: `$${at + 5}`, events: `$${at + 6}`,
});

/**
 * The CTEs both narrow writes end with, for instance $1: its next task, written
 * already claimed by this worker (none when the call id is NULL), and its history
 * rows in order.
 */
function tailCtes(s: string, at: number): string {
  const p = TAIL(at);
  return `mine AS (
       INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status, attempt, worker_id, lease_until)
       SELECT $1, ${p.call}::text, ${p.action}::text, ${p.args}::text::json, ${p.options}::text::json, 'running', 1, ${p.worker},
              clock_timestamp() + ${p.lease}::float8 * interval '1 millisecond'
        WHERE ${p.call}::text IS NOT NULL
       RETURNING 1),
     hist AS (
       INSERT INTO ${s}.history (instance_id, kind, call_id, data)
       SELECT $1, e.v->>'kind', e.v->>'call_id', e.v->'data'
         FROM json_array_elements(${p.events}::text::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n
       RETURNING 1)`;
}

/** The values of TAIL's parameters, in its order. */
function tailParams(w: StepWrite, workerId: string | null, leaseMs: number): unknown[] {
  const next = w.claimed[0];
  return [
    next?.callId ?? null, next?.action ?? null, next ? json(next.args) : null, next ? json(next.options) : null, workerId, leaseMs,
    json(w.events.map((e) => ({ kind: e.kind, call_id: e.callId ?? null, data: e.data ?? null }))),
  ];
}
