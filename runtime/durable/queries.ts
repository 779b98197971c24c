/**
 * Every SQL statement of the durable runtime, bound to one schema. JSON values are
 * always sent as text and cast (`$n::text::json`) so both drivers store the same
 * thing; timestamps are read back as epoch milliseconds so the engine never mixes
 * the database's clock with a worker's.
 */
import type { Queryable } from "../store/db.ts";
import { quoteIdent } from "../store/migrate.ts";
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
  status: "ready" | "running" | "done" | "failed" | "cancelled";
  attempt: number;
  run_at: number;
  lease_until: number | null;
  worker_id: string | null;
  last_error: Json | null;
}

export interface NewTask {
  instanceId: string;
  callId: string;
  action: string;
  args: Json[];
  options: Json;
}

export interface HistoryEvent {
  instanceId: string;
  kind: string;
  callId?: string;
  data?: Json;
}

const ms = (col: string, as = col) => `(extract(epoch from ${col}) * 1000)::float8 AS ${as}`;
const INSTANCE_COLS = `id, workflow, hash, status, input, state, version, result, error, idempotency_key,
  ${ms("wake_at")}, ${ms("created_at")}, ${ms("updated_at")}, ${ms("finished_at")}, ${ms("clock_timestamp()", "now")}`;
const taskCols = (t = "") =>
  `${t}instance_id, ${t}call_id, ${t}action, ${t}args, ${t}options, ${t}status, ${t}attempt, ${ms(`${t}run_at`, "run_at")},
  ${ms(`${t}lease_until`, "lease_until")}, ${t}worker_id, ${t}last_error`;
const TASK_COLS = taskCols();

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
}

export const json = (v: unknown): string => JSON.stringify(v ?? null);

type ChannelName = "tasks" | "done" | "cancel" | "timers";

export function queries(schema: string) {
  const s = quoteIdent(schema);
  const channel = (name: ChannelName) => `${schema}_${name}`;
  return {
    channels: { tasks: channel("tasks"), done: channel("done"), cancel: channel("cancel"), timers: channel("timers") },

    async putDefinition(q: Queryable, hash: string, name: string, ir: Json): Promise<void> {
      await q.query(`INSERT INTO ${s}.definitions (hash, name, ir) VALUES ($1, $2, $3::text::json) ON CONFLICT (hash) DO NOTHING`, [
        hash, name, json(ir),
      ]);
    },

    async getDefinition(q: Queryable, hash: string): Promise<Json | null> {
      const rows = await q.query<{ ir: Json }>(`SELECT ir FROM ${s}.definitions WHERE hash = $1`, [hash]);
      return rows[0]?.ir ?? null;
    },

    async latestDefinition(q: Queryable, name: string): Promise<{ hash: string; ir: Json } | null> {
      const rows = await q.query<{ hash: string; ir: Json }>(
        `SELECT hash, ir FROM ${s}.definitions WHERE name = $1 ORDER BY created_at DESC, hash LIMIT 1`, [name],
      );
      return rows[0] ?? null;
    },

    async dbNow(q: Queryable): Promise<number> {
      const [row] = await q.query<{ now: number }>(`SELECT ${ms("clock_timestamp()", "now")}`);
      return row.now;
    },

    /** Inserts new instances; returns the ids inserted (an instance whose idempotency key is taken is skipped). */
    async insertInstances(q: Queryable, rows: NewInstance[]): Promise<Set<string>> {
      if (rows.length === 0) return new Set();
      const inserted = await q.query<{ id: string }>(
        `INSERT INTO ${s}.instances (id, workflow, hash, status, input, state, result, error, idempotency_key, wake_at, finished_at)
         SELECT r.id, r.workflow, r.hash, r.status, r.input, r.state, r.result, r.error, r.key,
                to_timestamp(r.wake_at / 1000), CASE WHEN r.status IN ('completed', 'failed') THEN clock_timestamp() END
           FROM json_to_recordset($1::text::json) AS r(id uuid, workflow text, hash text, status text, input json, state json,
                result json, error json, key text, wake_at float8)
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING id`,
        [json(rows.map((i) => ({
          id: i.id, workflow: i.workflow, hash: i.hash, status: i.status, input: i.input, state: i.state,
          result: i.result ?? null, error: i.error ?? null, key: i.key, wake_at: i.wakeAt,
        })))],
      );
      return new Set(inserted.map((r) => r.id));
    },

    async instanceByKey(q: Queryable, key: string): Promise<InstanceRow | null> {
      const rows = await q.query<InstanceRow>(`SELECT ${INSTANCE_COLS} FROM ${s}.instances WHERE idempotency_key = $1`, [key]);
      return rows[0] ?? null;
    },

    async instance(q: Queryable, id: string, lock = false): Promise<InstanceRow | null> {
      const rows = await q.query<InstanceRow>(
        `SELECT ${INSTANCE_COLS} FROM ${s}.instances WHERE id = $1${lock ? " FOR UPDATE" : ""}`, [id],
      );
      return rows[0] ?? null;
    },

    /** Locks the given instances, in id order so that concurrent batches cannot deadlock. */
    async lockInstances(q: Queryable, ids: string[]): Promise<InstanceRow[]> {
      return q.query<InstanceRow>(
        `SELECT ${INSTANCE_COLS} FROM ${s}.instances WHERE id = ANY($1::uuid[]) ORDER BY id FOR UPDATE`, [ids],
      );
    },

    async listInstances(q: Queryable, limit: number): Promise<InstanceRow[]> {
      return q.query<InstanceRow>(`SELECT ${INSTANCE_COLS} FROM ${s}.instances ORDER BY created_at DESC, id LIMIT $1`, [limit]);
    },

    /** Saves a step's new state; the version check turns a lost race into a visible error. */
    async saveInstance(
      q: Queryable,
      u: { id: string; version: number; status: InstanceStatus; state: Json; result?: Json; error?: Json; wakeAt: number | null },
    ): Promise<boolean> {
      const rows = await q.query(
        `UPDATE ${s}.instances SET status = $3, state = $4::text::json, result = $5::text::json, error = $6::text::json,
                wake_at = to_timestamp($7::float8 / 1000), version = version + 1, updated_at = clock_timestamp(),
                finished_at = CASE WHEN $3 IN ('completed', 'failed', 'cancelled') THEN clock_timestamp() END
          WHERE id = $1 AND version = $2 RETURNING id`,
        [u.id, u.version, u.status, json(u.state), json(u.result), json(u.error), u.wakeAt],
      );
      return rows.length === 1;
    },

    /** `saveInstance` for many rows in one statement; returns the ids saved (a version mismatch is left out). */
    async saveInstances(q: Queryable, rows: Array<{ id: string; version: number; status: InstanceStatus; state: Json; result?: Json; error?: Json; wakeAt: number | null }>): Promise<number> {
      if (rows.length === 0) return 0;
      const saved = await q.query(
        `UPDATE ${s}.instances i SET status = u.status, state = u.state, result = u.result, error = u.error,
                wake_at = to_timestamp(u.wake_at / 1000), version = i.version + 1, updated_at = clock_timestamp(),
                finished_at = CASE WHEN u.status IN ('completed', 'failed', 'cancelled') THEN clock_timestamp() END
           FROM json_to_recordset($1::text::json) AS u(id uuid, version int, status text, state json, result json, error json, wake_at float8)
          WHERE i.id = u.id AND i.version = u.version RETURNING i.id`,
        [json(rows.map((r) => ({
          id: r.id, version: r.version, status: r.status, state: r.state, result: r.result ?? null, error: r.error ?? null, wake_at: r.wakeAt,
        })))],
      );
      return saved.length;
    },

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
     * Inserts tasks this worker will run itself, already claimed (attempt 1, leased):
     * the next action of a workflow starts without a queue round trip.
     */
    async insertClaimedTasks(q: Queryable, workerId: string, tasks: NewTask[], leaseMs: number): Promise<TaskRow[]> {
      if (tasks.length === 0) return [];
      return q.query<TaskRow>(
        `WITH ins AS (
           INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status, attempt, worker_id, lease_until)
           SELECT t.instance_id, t.call_id, t.action, t.args, t.options, 'running', 1, $1,
                  clock_timestamp() + $3::float8 * interval '1 millisecond'
             FROM json_to_recordset($2::text::json) AS t(instance_id uuid, call_id text, action text, args json, options json)
           ON CONFLICT (instance_id, call_id) DO NOTHING
           RETURNING *),
         h AS (
           INSERT INTO ${s}.history (instance_id, kind, call_id, data)
           SELECT instance_id, 'attempt', call_id, json_build_object('attempt', 1, 'worker', $1::text, 'idempotencyKey', instance_id || ':' || call_id)
             FROM ins)
         SELECT ${taskCols()} FROM ins`,
        [workerId, json(tasks.map((t) => ({ instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options }))), leaseMs],
      );
    },

    async insertTasks(q: Queryable, tasks: NewTask[]): Promise<void> {
      if (tasks.length === 0) return;
      await q.query(
        `INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status)
         SELECT t.instance_id, t.call_id, t.action, t.args, t.options, 'ready'
           FROM json_to_recordset($1::text::json) AS t(instance_id uuid, call_id text, action text, args json, options json)
         ON CONFLICT (instance_id, call_id) DO NOTHING`,
        [json(tasks.map((t) => ({ instance_id: t.instanceId, call_id: t.callId, action: t.action, args: t.args, options: t.options })))],
      );
    },

    async appendHistory(q: Queryable, events: HistoryEvent[]): Promise<void> {
      if (events.length === 0) return;
      await q.query(
        `INSERT INTO ${s}.history (instance_id, kind, call_id, data)
         SELECT (e.v->>'instance_id')::uuid, e.v->>'kind', e.v->>'call_id', e.v->'data'
           FROM json_array_elements($1::text::json) WITH ORDINALITY AS e(v, n) ORDER BY e.n`,
        [json(events.map((e) => ({ instance_id: e.instanceId, kind: e.kind, call_id: e.callId ?? null, data: e.data ?? null })))],
      );
    },

    async history(q: Queryable, instanceId: string) {
      return q.query<{ seq: string; at: number; kind: string; call_id: string | null; data: Json }>(
        `SELECT seq::text, ${ms("at")}, kind, call_id, data FROM ${s}.history WHERE instance_id = $1 ORDER BY seq`, [instanceId],
      );
    },

    /** Claims up to `limit` ready tasks for actions this worker has, recording each attempt in the history. */
    async claimTasks(q: Queryable, workerId: string, actions: string[], limit: number, leaseMs: number): Promise<TaskRow[]> {
      return q.query<TaskRow>(
        `WITH claimed AS (
           UPDATE ${s}.tasks t SET status = 'running', attempt = t.attempt + 1, worker_id = $1,
                  lease_until = clock_timestamp() + $4::float8 * interval '1 millisecond'
             FROM (SELECT instance_id, call_id FROM ${s}.tasks
                    WHERE status = 'ready' AND run_at <= clock_timestamp() AND action = ANY($2::text[])
                    ORDER BY run_at LIMIT $3 FOR UPDATE SKIP LOCKED) c
            WHERE t.instance_id = c.instance_id AND t.call_id = c.call_id
           RETURNING t.*),
         h AS (
           INSERT INTO ${s}.history (instance_id, kind, call_id, data)
           SELECT instance_id, 'attempt', call_id, json_build_object('attempt', attempt, 'worker', $1::text, 'idempotencyKey', instance_id || ':' || call_id)
             FROM claimed)
         SELECT ${taskCols()} FROM claimed`,
        [workerId, actions, limit, leaseMs],
      );
    },

    /** Marks a running task finished, if this worker still holds it; false means the lease was lost. */
    async finishTask(q: Queryable, t: { instanceId: string; callId: string; workerId: string; attempt: number; ok: boolean }): Promise<boolean> {
      const rows = await q.query(
        `UPDATE ${s}.tasks SET status = $5, lease_until = NULL
          WHERE instance_id = $1 AND call_id = $2 AND worker_id = $3 AND attempt = $4 AND status = 'running' RETURNING call_id`,
        [t.instanceId, t.callId, t.workerId, t.attempt, t.ok ? "done" : "failed"],
      );
      return rows.length === 1;
    },

    /** Puts a failed attempt back in the queue after its backoff. */
    async retryTask(q: Queryable, t: { instanceId: string; callId: string; workerId: string; attempt: number; delayMs: number; error: Json }): Promise<number | null> {
      const rows = await q.query<{ run_at: number }>(
        `UPDATE ${s}.tasks SET status = 'ready', worker_id = NULL, lease_until = NULL, last_error = $6::text::json,
                run_at = clock_timestamp() + $5::float8 * interval '1 millisecond'
          WHERE instance_id = $1 AND call_id = $2 AND worker_id = $3 AND attempt = $4 AND status = 'running'
        RETURNING ${ms("run_at")}`,
        [t.instanceId, t.callId, t.workerId, t.attempt, t.delayMs, json(t.error)],
      );
      return rows[0]?.run_at ?? null;
    },

    async renewLeases(q: Queryable, workerId: string, keys: Array<[string, string]>, leaseMs: number): Promise<number> {
      if (keys.length === 0) return 0;
      const rows = await q.query(
        `UPDATE ${s}.tasks t SET lease_until = clock_timestamp() + $2::float8 * interval '1 millisecond'
           FROM json_to_recordset($3::text::json) AS k(i uuid, c text)
          WHERE t.instance_id = k.i AND t.call_id = k.c AND t.worker_id = $1 AND t.status = 'running' RETURNING t.call_id`,
        [workerId, leaseMs, json(keys.map(([i, c]) => ({ i, c })))],
      );
      return rows.length;
    },

    /** Makes tasks whose worker stopped heartbeating claimable again. */
    async releaseExpired(q: Queryable): Promise<Array<{ instance_id: string; call_id: string; worker_id: string; attempt: number }>> {
      return q.query(
        `UPDATE ${s}.tasks t SET status = 'ready', lease_until = NULL, worker_id = NULL
           FROM (SELECT instance_id, call_id, worker_id FROM ${s}.tasks WHERE status = 'running' AND lease_until < clock_timestamp()
                 FOR UPDATE SKIP LOCKED) x
          WHERE t.instance_id = x.instance_id AND t.call_id = x.call_id
        RETURNING t.instance_id, t.call_id, x.worker_id, t.attempt`,
      );
    },

    /** Releases this worker's running tasks immediately (graceful shutdown). */
    async releaseWorker(q: Queryable, workerId: string, keys: Array<[string, string]>): Promise<void> {
      if (keys.length === 0) return;
      await q.query(
        `UPDATE ${s}.tasks t SET status = 'ready', lease_until = NULL, worker_id = NULL, attempt = t.attempt - 1
           FROM json_to_recordset($2::text::json) AS k(i uuid, c text)
          WHERE t.instance_id = k.i AND t.call_id = k.c AND t.worker_id = $1 AND t.status = 'running'`,
        [workerId, json(keys.map(([i, c]) => ({ i, c })))],
      );
    },

    /** Locks up to `limit` sleeping instances whose wake-up time has come. */
    async dueSleepers(q: Queryable, limit: number): Promise<InstanceRow[]> {
      return q.query<InstanceRow>(
        `SELECT ${INSTANCE_COLS} FROM ${s}.instances
          WHERE status = 'sleeping' AND wake_at <= clock_timestamp()
          ORDER BY wake_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit],
      );
    },

    async nextWake(q: Queryable): Promise<number | null> {
      const [row] = await q.query<{ at: number | null }>(
        `SELECT ${ms("min(wake_at)", "at")} FROM ${s}.instances WHERE status = 'sleeping'`,
      );
      return row?.at ?? null;
    },

    async cancelTasks(q: Queryable, instanceId: string): Promise<void> {
      await q.query(
        `UPDATE ${s}.tasks SET status = 'cancelled', lease_until = NULL WHERE instance_id = $1 AND status IN ('ready', 'running')`,
        [instanceId],
      );
    },

    async tasksOf(q: Queryable, instanceId: string): Promise<TaskRow[]> {
      return q.query<TaskRow>(`SELECT ${TASK_COLS} FROM ${s}.tasks WHERE instance_id = $1 ORDER BY created_at, call_id`, [instanceId]);
    },

    async registerWorker(q: Queryable, id: string, actions: string[], workflows: string[]): Promise<void> {
      await q.query(
        `INSERT INTO ${s}.workers (id, actions, workflows) VALUES ($1, $2::text[], $3::text[])
         ON CONFLICT (id) DO UPDATE SET actions = EXCLUDED.actions, workflows = EXCLUDED.workflows, heartbeat_at = clock_timestamp()`,
        [id, actions, workflows],
      );
    },

    async heartbeatWorker(q: Queryable, id: string): Promise<void> {
      await q.query(`UPDATE ${s}.workers SET heartbeat_at = clock_timestamp() WHERE id = $1`, [id]);
    },

    async removeWorker(q: Queryable, id: string): Promise<void> {
      await q.query(`DELETE FROM ${s}.workers WHERE id = $1`, [id]);
    },

    /** Actions offered by workers that heartbeated within `withinMs`. */
    async liveActions(q: Queryable, withinMs: number): Promise<Set<string>> {
      const rows = await q.query<{ action: string }>(
        `SELECT DISTINCT unnest(actions) AS action FROM ${s}.workers
          WHERE heartbeat_at > clock_timestamp() - $1::float8 * interval '1 millisecond'`,
        [withinMs],
      );
      return new Set(rows.map((r) => r.action));
    },

    async notify(q: Queryable, name: ChannelName, payload: string): Promise<void> {
      await q.query(`SELECT pg_notify($1, $2)`, [channel(name), payload]);
    },
  };
}

export type Queries = ReturnType<typeof queries>;
