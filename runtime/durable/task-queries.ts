/** SQL for action tasks: the queue, leases and retries (bound to a quoted schema name). */
import type { Queryable } from "../store/db.ts";
import type { Json } from "../../ir-schema/index.ts";
import { TASK_COLS, json, ms, type ClaimedTask, type TaskRow } from "./sql.ts";

export function taskQueries(s: string) {
  return {
    /** Marks finished tasks done/failed where this worker still holds them; returns the keys it held. */
    async finishTasks(q: Queryable, workerId: string, items: Array<{ instanceId: string; callId: string; attempt: number; ok: boolean }>): Promise<Set<string>> {
      if (items.length === 0) return new Set();
      const rows = await q.query<{ instance_id: string; call_id: string }>(
        `UPDATE ${s}.tasks t SET status = CASE WHEN x.ok THEN 'done' ELSE 'failed' END, lease_until = NULL
           FROM json_to_recordset($2::text::json) AS x(i uuid, c text, a int, ok boolean)
          WHERE t.instance_id = x.i AND t.call_id = x.c AND t.worker_id = $1 AND t.attempt = x.a AND t.status = 'running'
        RETURNING t.instance_id, t.call_id`,
        [workerId, json(items.map((x) => ({ i: x.instanceId, c: x.callId, a: x.attempt, ok: x.ok })))],
      );
      return new Set(rows.map((r) => `${r.instance_id}:${r.call_id}`));
    },

    /**
     * Claims up to `limit` ready tasks for actions this worker has, recording each
     * attempt in the history; each comes with its instance's state as of the claim.
     */
    async claimTasks(q: Queryable, workerId: string, actions: string[], limit: number, leaseMs: number): Promise<ClaimedTask[]> {
      const rows = await q.query<TaskRow & { i_hash: string; i_version: number; i_status: string; i_state: Json; i_trace: Json | null }>(
        `SELECT * FROM ${s}.claim_tasks($1, $2::text[], $3, $4)`,
        [workerId, actions, limit, leaseMs],
      );
      return rows.map(({ i_hash, i_version, i_status, i_state, i_trace, ...task }) => ({
        ...task,
        instance: i_status === "running" ? { hash: i_hash, version: i_version, state: i_state, trace: i_trace } : null,
      }));
    },

    /**
     * Puts a failed attempt back in the queue after its backoff and records the
     * retry in the history, in one statement: a crash cannot leave one without the
     * other. Null when this worker no longer held the task (nothing is written).
     */
    async retryTask(q: Queryable, t: { instanceId: string; callId: string; workerId: string; attempt: number; delayMs: number; error: Json }): Promise<number | null> {
      const rows = await q.query<{ run_at: number }>(
        `WITH retried AS (
           UPDATE ${s}.tasks SET status = 'ready', worker_id = NULL, lease_until = NULL, last_error = $6::text::json,
                  run_at = clock_timestamp() + $5::float8 * interval '1 millisecond'
            WHERE instance_id = $1 AND call_id = $2 AND worker_id = $3 AND attempt = $4 AND status = 'running'
           RETURNING run_at),
         recorded AS (
           INSERT INTO ${s}.history (instance_id, kind, call_id, data)
           SELECT $1, 'retry', $2, json_build_object('attempt', $4::int, 'delayMs', $5::float8, 'error', $6::text::json) FROM retried)
         SELECT ${ms("run_at")} FROM retried`,
        [t.instanceId, t.callId, t.workerId, t.attempt, t.delayMs, json(t.error)],
      );
      return rows[0]?.run_at ?? null;
    },

    /** Extends this worker's leases on the given tasks; returns the `instance:call` keys it still held. */
    async renewLeases(q: Queryable, workerId: string, keys: Array<[string, string]>, leaseMs: number): Promise<Set<string>> {
      if (keys.length === 0) return new Set();
      const rows = await q.query<{ instance_id: string; call_id: string }>(
        `UPDATE ${s}.tasks t SET lease_until = clock_timestamp() + $2::float8 * interval '1 millisecond'
           FROM json_to_recordset($3::text::json) AS k(i uuid, c text)
          WHERE t.instance_id = k.i AND t.call_id = k.c AND t.worker_id = $1 AND t.status = 'running'
        RETURNING t.instance_id, t.call_id`,
        [workerId, leaseMs, json(keys.map(([i, c]) => ({ i, c })))],
      );
      return new Set(rows.map((r) => `${r.instance_id}:${r.call_id}`));
    },

    /**
     * Makes tasks whose worker stopped renewing its lease claimable again, recording
     * each in the history. The interrupted attempt counts: its number is kept, and
     * the error it ended with is the task's last error, which the call fails with if
     * it was the last attempt.
     */
    async releaseExpired(q: Queryable): Promise<Array<{ instance_id: string; call_id: string; action: string; worker_id: string; attempt: number }>> {
      return q.query(
        `WITH freed AS (
           UPDATE ${s}.tasks t SET status = 'ready', lease_until = NULL, worker_id = NULL,
                  last_error = json_build_object('name', 'LeaseExpiredError',
                    'message', 'worker ' || x.worker_id || ' stopped renewing its lease during attempt ' || t.attempt,
                    'ancestry', json_build_array('LeaseExpiredError', 'Error'))
             FROM (SELECT instance_id, call_id, worker_id FROM ${s}.tasks WHERE status = 'running' AND lease_until < clock_timestamp()
                   FOR UPDATE SKIP LOCKED) x
            WHERE t.instance_id = x.instance_id AND t.call_id = x.call_id
          RETURNING t.instance_id, t.call_id, t.action, x.worker_id, t.attempt),
         recorded AS (
           INSERT INTO ${s}.history (instance_id, kind, call_id, data)
           SELECT instance_id, 'lease-expired', call_id, json_build_object('worker', worker_id, 'attempt', attempt) FROM freed)
         SELECT * FROM freed`,
      );
    },

    /**
     * Releases this worker's running tasks immediately (graceful shutdown) for
     * another worker to take. The attempt counts, as for an expired lease, so an
     * action that never finishes cannot run forever across restarts.
     */
    async releaseWorker(q: Queryable, workerId: string, keys: Array<[string, string]>, error: Json): Promise<void> {
      if (keys.length === 0) return;
      await q.query(
        `WITH released AS (
           UPDATE ${s}.tasks t SET status = 'ready', lease_until = NULL, worker_id = NULL, last_error = $3::text::json
             FROM json_to_recordset($2::text::json) AS k(i uuid, c text)
            WHERE t.instance_id = k.i AND t.call_id = k.c AND t.worker_id = $1 AND t.status = 'running'
          RETURNING t.instance_id, t.call_id, t.attempt)
         INSERT INTO ${s}.history (instance_id, kind, call_id, data)
         SELECT instance_id, 'released', call_id, json_build_object('worker', $1::text, 'attempt', attempt) FROM released`,
        [workerId, json(keys.map(([i, c]) => ({ i, c }))), json(error)],
      );
    },

    async cancelTasks(q: Queryable, instanceId: string): Promise<void> {
      await q.query(
        `UPDATE ${s}.tasks SET status = 'cancelled', lease_until = NULL WHERE instance_id = $1 AND status IN ('ready', 'running', 'waiting')`,
        [instanceId],
      );
    },

    async tasksOf(q: Queryable, instanceId: string): Promise<TaskRow[]> {
      return q.query<TaskRow>(`SELECT ${TASK_COLS} FROM ${s}.tasks WHERE instance_id = $1 ORDER BY created_at, call_id`, [instanceId]);
    },

  };
}
