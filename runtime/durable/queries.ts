/**
 * Every SQL statement of the durable runtime, bound to one schema. JSON values are
 * always sent as text and cast (`$n::text::json`) so both drivers store the same
 * thing; timestamps are read back as epoch milliseconds so the engine never mixes
 * the database's clock with a worker's.
 */
import type { Queryable } from "../store/db.ts";
import { quoteIdent } from "../store/migrate.ts";
import type { Json } from "../../ir-schema/index.ts";
import { instanceQueries } from "./instance-queries.ts";
import { taskQueries } from "./task-queries.ts";
import { waitQueries } from "./wait-queries.ts";
import { writeStep, type StepWrite } from "./write-step.ts";
import { json, ms, type HistoryEvent } from "./sql.ts";

export * from "./sql.ts";

type ChannelName = "tasks" | "done" | "cancel" | "timers" | "published";

export function queries(schema: string) {
  const s = quoteIdent(schema);
  const channel = (name: ChannelName) => `${schema}_${name}`;
  return {
    channels: { tasks: channel("tasks"), done: channel("done"), cancel: channel("cancel"), timers: channel("timers"), published: channel("published") },
    ...instanceQueries(s),
    ...taskQueries(s),
    ...waitQueries(s, channel("tasks")),
    writeStep: (q: Queryable, workerId: string | null, leaseMs: number, w: StepWrite) => writeStep(q, s, workerId, leaseMs, w),

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
        // ORDER BY the table's column: a bare `seq` would name the text output column and sort "10" before "9".
        `SELECT seq::text, ${ms("at")}, kind, call_id, data FROM ${s}.history h WHERE instance_id = $1 ORDER BY h.seq`, [instanceId],
      );
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
