/**
 * SQL for what an instance waits on besides actions: messages (send, deliver,
 * timeouts), published values, and child instances (bound to a quoted schema).
 */
import type { Json } from "../../ir-schema/index.ts";
import type { Queryable } from "../store/db.ts";
import { json, ms } from "./sql.ts";

export interface MessageRow {
  seq: string;
  topic: string;
  message: Json;
  sent_at: number;
  received_by: string | null;
  received_at: number | null;
}

export function waitQueries(s: string, tasksChannel: string) {
  return {
    /** Matches waiting receives of (id, topic) with their messages; returns how many were matched. */
    async deliver(q: Queryable, id: string, topic: string): Promise<number> {
      const [row] = await q.query<{ n: number }>(`SELECT ${s}.deliver($1, $2, $3) AS n`, [id, topic, tasksChannel]);
      return row?.n ?? 0;
    },

    /**
     * Stores a message and matches it (the database's send_message()); a repeated
     * key stores nothing (`inserted` false, `repeated` true). `status` is the
     * instance's, null when there is no such instance; `delivered`, how many
     * waiting receives got a message.
     */
    async sendMessage(
      q: Queryable, id: string, topic: string, message: Json, key: string | null,
    ): Promise<{ status: string | null; inserted: boolean; repeated: boolean; delivered: number }> {
      const [row] = await q.query<{ s_status: string | null; s_inserted: boolean; s_repeated: boolean; s_delivered: number }>(
        `SELECT * FROM ${s}.send_message($1, $2, $3::text::json, $4, $5)`,
        [id, topic, json(message), key, tasksChannel],
      );
      return { status: row?.s_status ?? null, inserted: row?.s_inserted ?? false, repeated: row?.s_repeated ?? false, delivered: row?.s_delivered ?? 0 };
    },

    /** (instance, topic) pairs with a waiting receive and an unreceived message: what a lost deliver() left. */
    async strandedReceives(q: Queryable, limit: number): Promise<Array<[string, string]>> {
      const rows = await q.query<{ instance_id: string; topic: string }>(
        `SELECT DISTINCT t.instance_id, t.args->>0 AS topic FROM ${s}.tasks t
          WHERE t.status = 'waiting' AND t.action = '%receive'
            AND EXISTS (SELECT 1 FROM ${s}.messages m WHERE m.instance_id = t.instance_id AND m.topic = t.args->>0 AND m.received_by IS NULL)
          LIMIT $1`,
        [limit],
      );
      return rows.map((r) => [r.instance_id, r.topic]);
    },

    /** Receives whose timeout has passed become ready with no message (the call gives null). */
    async expireReceives(q: Queryable, limit: number): Promise<number> {
      const rows = await q.query<{ n: number }>(
        `WITH due AS (
           SELECT instance_id, call_id FROM ${s}.tasks
            WHERE status = 'waiting' AND run_at <= clock_timestamp() AND action = '%receive'
            ORDER BY run_at LIMIT $1 FOR UPDATE SKIP LOCKED),
         expired AS (
           UPDATE ${s}.tasks t SET status = 'ready', run_at = clock_timestamp(), args = json_build_array(t.args->0, NULL, NULL)
             FROM due WHERE t.instance_id = due.instance_id AND t.call_id = due.call_id AND t.status = 'waiting'
           RETURNING t.instance_id, t.call_id, t.args->>0 AS topic),
         recorded AS (
           INSERT INTO ${s}.history (instance_id, kind, call_id, data)
           SELECT instance_id, 'receive-timeout', call_id, json_build_object('topic', topic) FROM expired)
         SELECT count(*)::int AS n FROM expired`,
        [limit],
      );
      const n = rows[0]?.n ?? 0;
      if (n > 0) await q.query(`SELECT pg_notify($1, '%receive')`, [tasksChannel]);
      return n;
    },

    /** Milliseconds until the earliest receive timeout, by the database's clock (null: none). */
    async untilNextTimeout(q: Queryable): Promise<number | null> {
      const [row] = await q.query<{ ms: number | null }>(
        `SELECT (extract(epoch from min(run_at) - clock_timestamp()) * 1000)::float8 AS ms
           FROM ${s}.tasks WHERE status = 'waiting' AND run_at < 'infinity'`,
      );
      return row?.ms ?? null;
    },

    async messagesOf(q: Queryable, id: string): Promise<MessageRow[]> {
      return q.query<MessageRow>(
        `SELECT seq::text, topic, message, ${ms("sent_at")}, received_by, ${ms("received_at")}
           FROM ${s}.messages m WHERE instance_id = $1 ORDER BY m.seq`,
        [id],
      );
    },

    async publishedOf(q: Queryable, id: string): Promise<Array<{ key: string; value: Json; updated_at: number }>> {
      return q.query(`SELECT key, value, ${ms("updated_at")} FROM ${s}.published WHERE instance_id = $1 ORDER BY key`, [id]);
    },

    /** A child that ended outside a step (cancelled, failed by the engine) answers its parent's waiting call. */
    async answerParent(q: Queryable, id: string): Promise<void> {
      await q.query(
        `WITH answered AS (
           UPDATE ${s}.tasks t SET status = 'ready', run_at = clock_timestamp(),
                  args = json_build_array(i.workflow, i.id, json_build_object('status', i.status, 'result', i.result, 'error', i.error))
             FROM ${s}.instances i
            WHERE i.id = $1 AND i.parent_id IS NOT NULL AND t.instance_id = i.parent_id AND t.call_id = i.parent_call
              AND t.status = 'waiting'
           RETURNING 1)
         SELECT pg_notify($2, '%child') FROM answered`,
        [id, tasksChannel],
      );
    },

    /** Cancels every unfinished descendant of `id` (children, their children, ...); returns their ids. */
    async cancelDescendants(q: Queryable, id: string, error: Json): Promise<string[]> {
      const rows = await q.query<{ id: string }>(
        `WITH RECURSIVE tree AS (
           SELECT id FROM ${s}.instances WHERE parent_id = $1
           UNION ALL
           SELECT i.id FROM ${s}.instances i JOIN tree ON i.parent_id = tree.id),
         ended AS (
           UPDATE ${s}.instances i SET status = 'cancelled', error = $2::text::json, wake_at = NULL, version = i.version + 1,
                  updated_at = clock_timestamp(), finished_at = clock_timestamp()
             FROM tree WHERE i.id = tree.id AND i.status IN ('running', 'sleeping')
           RETURNING i.id),
         dropped AS (
           UPDATE ${s}.tasks SET status = 'cancelled', lease_until = NULL
            WHERE instance_id IN (SELECT id FROM ended) AND status IN ('ready', 'running', 'waiting')),
         recorded AS (
           INSERT INTO ${s}.history (instance_id, kind, data)
           SELECT id, 'cancelled', json_build_object('reason', 'its parent ' || $1 || ' was cancelled') FROM ended)
         SELECT id FROM ended`,
        [id, json(error)],
      );
      return rows.map((r) => r.id);
    },

    async childrenOf(q: Queryable, id: string): Promise<Array<{ id: string; workflow: string; status: string; parent_call: string }>> {
      return q.query(
        `SELECT id, workflow, status, parent_call FROM ${s}.instances WHERE parent_id = $1 ORDER BY created_at, parent_call`,
        [id],
      );
    },
  };
}
