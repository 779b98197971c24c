/**
 * Everything a step writes, in ONE statement: new instances (a start), the saved
 * states (version-checked), the finished tasks (ownership-checked), the queued and
 * the locally claimed next tasks, the history and the notifications. One round trip
 * instead of one per table is most of what separates an action finishing from the
 * next one starting.
 *
 * Data-modifying CTEs all run exactly once whether or not the final SELECT reads
 * them, and see the same snapshot; none of them reads what another writes, so their
 * order does not matter. The history keeps its order through WITH ORDINALITY.
 *
 * The `= ANY($ids)` conditions repeat the joins' keys on purpose: the planner takes
 * json_to_recordset for 100 rows and, on tables whose statistics lag behind a
 * burst of work, would join by scanning the whole table; a key list makes the
 * primary-key lookup the obvious plan whatever the statistics say.
 */
import type { Json } from "../../ir-schema/index.ts";
import type { Queryable } from "../store/db.ts";
import { json, type HistoryEvent, type InstanceStatus, type NewInstance, type NewTask } from "./sql.ts";
import { isNarrowStart, isNextStep, writeNarrowStart, writeNextStep } from "./write-narrow.ts";

export interface StepWrite {
  /** New instances (a start); a taken idempotency key fails the statement with DuplicateStartError. */
  instances: NewInstance[];
  saves: Array<{ id: string; version: number; status: InstanceStatus; state: Json; result?: Json; error?: Json; wakeAt: number | null }>;
  /** Tasks whose final outcome this step applies; each must still be held by `workerId`. */
  finished: Array<{ instanceId: string; callId: string; attempt: number; ok: boolean }>;
  queued: NewTask[];
  /** Next tasks inserted as already claimed by `workerId` (attempt 1, leased). */
  claimed: NewTask[];
  events: HistoryEvent[];
  notifications: Array<{ channel: string; payload: string }>;
  /** Latest published values (stored form), upserted by (instance, key). */
  published: Array<{ instanceId: string; key: string; value: Json }>;
  /** Where a parent's child call, made ready by its child's end here, is announced. */
  tasksChannel: string;
}

export interface StepWriteResult {
  saved: number;
  finished: number;
}

/**
 * The statement found a saved state's version changed or a finished task no longer
 * held by this worker, and wrote nothing: the step must be redone from fresh rows.
 */
export class StaleStepError extends Error {
  override name = "StaleStepError";
}
const STALE = "cairn: stale step";

/** A new instance's idempotency key was taken meanwhile: nothing was written. */
export class DuplicateStartError extends Error {
  override name = "DuplicateStartError";
}
const DUPLICATE = "cairn: duplicate start";

export async function writeStep(q: Queryable, s: string, workerId: string | null, leaseMs: number, w: StepWrite): Promise<StepWriteResult> {
  // The steps of the path from start() to result(): narrower statements (write-narrow.ts).
  const narrow = isNarrowStart(w) ? writeNarrowStart(q, s, DUPLICATE, workerId, leaseMs, w) : isNextStep(w) ? writeNextStep(q, s, STALE, workerId, leaseMs, w) : null;
  if (narrow) {
    try {
      return await narrow;
    } catch (err) {
      throw stepError(err);
    }
  }
  let rows: StepWriteResult[];
  try {
    rows = await q.query<StepWriteResult>(
    `WITH ins AS (
       INSERT INTO ${s}.instances (id, workflow, hash, status, input, state, result, error, idempotency_key, wake_at, finished_at,
              parent_id, parent_call, trace)
       SELECT r.id, r.workflow, r.hash, r.status, r.input, r.state, r.result, r.error, r.key,
              to_timestamp(r.wake_at / 1000), CASE WHEN r.status IN ('completed', 'failed') THEN clock_timestamp() END,
              r.parent_id, r.parent_call, r.trace
         FROM json_to_recordset($13::text::json) AS r(id uuid, workflow text, hash text, status text, input json, state json,
              result json, error json, key text, wake_at float8, parent_id uuid, parent_call text, trace json)
       ON CONFLICT (idempotency_key) DO NOTHING RETURNING 1),
     saved AS (
       UPDATE ${s}.instances i SET status = u.status, state = u.state, result = u.result, error = u.error,
              wake_at = to_timestamp(u.wake_at / 1000), version = i.version + 1, updated_at = clock_timestamp(),
              finished_at = CASE WHEN u.status IN ('completed', 'failed', 'cancelled') THEN clock_timestamp() END
         FROM json_to_recordset($1::text::json) AS u(id uuid, version int, status text, state json, result json, error json, wake_at float8)
        WHERE i.id = u.id AND i.version = u.version AND i.id = ANY($11::uuid[])
       RETURNING i.id, i.parent_id, i.parent_call, i.workflow, i.status, i.result, i.error),
     -- A child that ends here answers its parent's call: the call's waiting task
     -- becomes ready with the outcome, and a worker applies it like an action's.
     answered AS (
       UPDATE ${s}.tasks t SET status = 'ready', run_at = clock_timestamp(),
              args = json_build_array(c.workflow, c.id, json_build_object('status', c.status, 'result', c.result, 'error', c.error))
         FROM saved c
        WHERE c.parent_id IS NOT NULL AND c.status IN ('completed', 'failed', 'cancelled')
          AND t.instance_id = c.parent_id AND t.call_id = c.parent_call AND t.status = 'waiting'
       RETURNING 1),
     pub AS (
       INSERT INTO ${s}.published (instance_id, key, value)
       SELECT p.i, p.k, p.v FROM json_to_recordset($15::text::json) AS p(i uuid, k text, v json)
       ON CONFLICT (instance_id, key) DO UPDATE SET value = EXCLUDED.value, updated_at = clock_timestamp()
       RETURNING 1),
     fin AS (
       UPDATE ${s}.tasks t SET status = CASE WHEN x.ok THEN 'done' ELSE 'failed' END, lease_until = NULL
         FROM json_to_recordset($2::text::json) AS x(i uuid, c text, a int, ok boolean)
        WHERE t.instance_id = x.i AND t.call_id = x.c AND t.worker_id = $6 AND t.attempt = x.a AND t.status = 'running'
          AND t.instance_id = ANY($12::uuid[])
       RETURNING 1),
     queued AS (
       INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status, run_at)
       SELECT t.instance_id, t.call_id, t.action, t.args, t.options, coalesce(t.status, 'ready'),
              CASE WHEN t.status IS NULL THEN clock_timestamp()
                   WHEN t.delay_ms IS NULL THEN 'infinity'::timestamptz
                   ELSE clock_timestamp() + t.delay_ms * interval '1 millisecond' END
         FROM json_to_recordset($3::text::json) AS t(instance_id uuid, call_id text, action text, args json, options json,
              status text, delay_ms float8)
       ON CONFLICT (instance_id, call_id) DO NOTHING RETURNING 1),
     mine AS (
       INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status, attempt, worker_id, lease_until)
       SELECT t.instance_id, t.call_id, t.action, t.args, t.options, 'running', 1, $6,
              clock_timestamp() + $7::float8 * interval '1 millisecond'
         FROM json_to_recordset($4::text::json) AS t(instance_id uuid, call_id text, action text, args json, options json)
       RETURNING 1),
     hist AS (
       INSERT INTO ${s}.history (instance_id, kind, call_id, data)
       SELECT (e.v->>'instance_id')::uuid, e.v->>'kind', e.v->>'call_id', e.v->'data'
         FROM json_array_elements($5::text::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n
       RETURNING 1)
     SELECT (SELECT count(*)::int FROM saved) AS saved, (SELECT count(*)::int FROM fin) AS finished,
            (SELECT count(pg_notify(n.channel, n.payload))::int
               FROM json_to_recordset($8::text::json) AS n(channel text, payload text)) AS notified,
            (SELECT count(pg_notify($16, '%child'))::int FROM (SELECT 1 FROM answered LIMIT 1) a) AS answered,
            (SELECT count(*)::int FROM pub) AS published,
            -- All or nothing: a stale row fails the cast, and the error undoes every CTE above.
            -- (The text depends on the counts, so the planner cannot fold the cast away.)
            CASE WHEN (SELECT count(*) FROM saved) = $9 AND (SELECT count(*) FROM fin) = $10 THEN 0
                 ELSE ('${STALE}: saved ' || (SELECT count(*) FROM saved) || ' of ' || $9 ||
                       ', finished ' || (SELECT count(*) FROM fin) || ' of ' || $10)::int END AS guard,
            CASE WHEN (SELECT count(*) FROM ins) = $14 THEN 0
                 ELSE ('${DUPLICATE}: inserted ' || (SELECT count(*) FROM ins) || ' of ' || $14)::int END AS started`,
    [
      json(w.saves.map((r) => ({
        id: r.id, version: r.version, status: r.status, state: r.state, result: r.result ?? null, error: r.error ?? null, wake_at: r.wakeAt,
      }))),
      json(w.finished.map((x) => ({ i: x.instanceId, c: x.callId, a: x.attempt, ok: x.ok }))),
      json(w.queued.map(taskRecord)),
      json(w.claimed.map(taskRecord)),
      json(w.events.map((e) => ({ instance_id: e.instanceId, kind: e.kind, call_id: e.callId ?? null, data: e.data ?? null }))),
      workerId,
      leaseMs,
      json(w.notifications),
      w.saves.length,
      w.finished.length,
      w.saves.map((r) => r.id),
      [...new Set(w.finished.map((x) => x.instanceId))],
      json(w.instances.map((i) => ({
        id: i.id, workflow: i.workflow, hash: i.hash, status: i.status, input: i.input, state: i.state,
        result: i.result ?? null, error: i.error ?? null, key: i.key, wake_at: i.wakeAt,
        parent_id: i.parentId ?? null, parent_call: i.parentCall ?? null, trace: i.trace,
      }))),
      w.instances.length,
      json(w.published.map((p) => ({ i: p.instanceId, k: p.key, v: p.value }))),
      w.tasksChannel,
    ],
  );
  } catch (err) {
    throw stepError(err);
  }
  return { saved: rows[0].saved, finished: rows[0].finished };
}

/** What a failed write means: a check failed (nothing was written), or the database's own error. */
function stepError(err: unknown): unknown {
  const message = (err as Error).message;
  if (message?.includes(STALE)) return new StaleStepError(message);
  if (message?.includes(DUPLICATE)) return new DuplicateStartError(message);
  return err;
}

function taskRecord(t: NewTask) {
  return {
    instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options,
    status: t.status ?? null, delay_ms: t.delayMs ?? null,
  };
}
