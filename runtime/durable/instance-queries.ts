/** SQL for workflow definitions and instances (bound to a quoted schema name). */
import type { Queryable } from "../store/db.ts";
import type { Json } from "../../ir-schema/index.ts";
import { INSTANCE_COLS, json, ms, type InstanceRow, type InstanceStatus, type NewInstance } from "./sql.ts";

const INSTANCE_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Whether `id` can name an instance at all (instance ids are UUIDs). */
export function isInstanceId(id: string): boolean {
  return INSTANCE_ID.test(id);
}

export function instanceQueries(s: string) {
  return {
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

    async instanceByKey(q: Queryable, key: string): Promise<InstanceRow | null> {
      const rows = await q.query<InstanceRow>(`SELECT ${INSTANCE_COLS} FROM ${s}.instances WHERE idempotency_key = $1`, [key]);
      return rows[0] ?? null;
    },

    /** Status, result and error of each of `ids` that exists (all valid instance ids), in one read. */
    async outcomes(q: Queryable, ids: readonly string[]): Promise<Array<Pick<InstanceRow, "id" | "status" | "result" | "error">>> {
      return q.query(`SELECT id, status, result, error FROM ${s}.instances WHERE id = ANY($1::uuid[])`, [ids]);
    },

    async instance(q: Queryable, id: string, lock = false): Promise<InstanceRow | null> {
      // Not a UUID: no instance has it (Postgres would fail the cast instead).
      if (!isInstanceId(id)) return null;
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
      // The table's column: a bare created_at is INSTANCE_COLS' output column (ms), which no index
      // serves, so every listing sorted the whole table.
      return q.query<InstanceRow>(`SELECT ${INSTANCE_COLS} FROM ${s}.instances i ORDER BY i.created_at DESC, i.id DESC LIMIT $1`, [limit]);
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

    /** Locks up to `limit` sleeping instances whose wake-up time has come. */
    /** Sleepers due now, locked (all of them up to `limit`, or the one `id`). */
    async dueSleepers(q: Queryable, limit: number, id?: string): Promise<InstanceRow[]> {
      return q.query<InstanceRow>(
        `SELECT ${INSTANCE_COLS} FROM ${s}.instances
          WHERE status = 'sleeping' AND wake_at <= clock_timestamp() AND ($2::uuid IS NULL OR id = $2)
          ORDER BY wake_at LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [limit, id ?? null],
      );
    },

    /** Ids of sleepers due now, without locking them. */
    async dueSleeperIds(q: Queryable, limit: number): Promise<string[]> {
      const rows = await q.query<{ id: string }>(
        `SELECT id FROM ${s}.instances WHERE status = 'sleeping' AND wake_at <= clock_timestamp() ORDER BY wake_at LIMIT $1`,
        [limit],
      );
      return rows.map((r) => r.id);
    },

    /** Milliseconds until the earliest sleeper is due, by the database's clock (null: none sleeps). */
    async untilNextWake(q: Queryable): Promise<number | null> {
      const [row] = await q.query<{ ms: number | null }>(
        `SELECT (extract(epoch from min(wake_at) - clock_timestamp()) * 1000)::float8 AS ms
           FROM ${s}.instances WHERE status = 'sleeping'`,
      );
      return row?.ms ?? null;
    },

  };
}
