/**
 * The UI's own reads (the engine's queries serve workers; these serve pages).
 * The instance list is paged by keyset on (created_at, id), newest first, with the
 * indexes of migration 0006, so any page of a million rows costs one index range scan.
 */
import type { Queryable } from "../../runtime/store/db.ts";
import { quoteIdent } from "../../runtime/store/migrate.ts";
import { ms, type InstanceStatus } from "../../runtime/durable/sql.ts";

export const STATUSES: readonly InstanceStatus[] = ["running", "sleeping", "completed", "failed", "cancelled"];
export const PAGE_SIZE = 50;
/** How many of the latest completed instances the workflows page's durations are read from. */
export const DURATION_SAMPLE = 10_000;

export interface ListFilter {
  workflow?: string;
  status?: InstanceStatus;
  /** A prefix of an instance id (hex digits, dashes optional). */
  id?: string;
  /** Rows strictly older than this cursor (`<created_at µs>.<id>`). */
  before?: string;
  /** Created at or after / before these times (epoch ms). */
  since?: number;
  until?: number;
}

export interface ListedInstance {
  id: string;
  workflow: string;
  hash: string;
  status: InstanceStatus;
  created_at: number;
  finished_at: number | null;
  /** created_at in microseconds since the epoch, exact: the page cursor. */
  created_us: string;
}

/** The uuid range of the ids starting with `prefix` (null when it cannot start one). */
export function idRange(prefix: string): [string, string] | null {
  const hex = prefix.toLowerCase().replace(/-/g, "");
  if (!/^[0-9a-f]{1,32}$/.test(hex)) return null;
  const dash = (h: string) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  return [dash(hex.padEnd(32, "0")), dash(hex.padEnd(32, "f"))];
}

export function parseCursor(cursor: string | undefined): { us: string; id: string } | null {
  const m = /^(\d{1,19})\.([0-9a-f-]{36})$/.exec(cursor ?? "");
  return m ? { us: m[1]!, id: m[2]! } : null;
}

/** The SQL of one page of the list (limit + 1 rows: the last one says there are more); null when the id filter cannot match. */
export function listQuery(s: string, f: ListFilter, limit = PAGE_SIZE): { sql: string; args: unknown[] } | null {
  const where: string[] = [];
  const args: unknown[] = [];
  const arg = (v: unknown) => `$${args.push(v)}`;
  if (f.workflow) where.push(`workflow = ${arg(f.workflow)}`);
  if (f.status) where.push(`status = ${arg(f.status)}`);
  if (f.id) {
    const range = idRange(f.id);
    if (!range) return null;
    where.push(`id BETWEEN ${arg(range[0])}::uuid AND ${arg(range[1])}::uuid`);
  }
  if (f.since !== undefined) where.push(`created_at >= to_timestamp(${arg(f.since)}::float8 / 1000)`);
  if (f.until !== undefined) where.push(`created_at < to_timestamp(${arg(f.until)}::float8 / 1000)`);
  const cursor = parseCursor(f.before);
  if (cursor) {
    where.push(`(created_at, id) < (timestamptz 'epoch' + ${arg(cursor.us)}::bigint * interval '1 microsecond', ${arg(cursor.id)}::uuid)`);
  }
  // ORDER BY names the table's columns: a bare created_at would be the output column (ms),
  // sorted over the whole table. The limit is written into the statement: as a parameter,
  // a prepared statement's generic plan assumes a large one and may sort instead of reading the index.
  const sql = `SELECT id, workflow, hash, status, ${ms("created_at")}, ${ms("finished_at")},
                ((extract(epoch from created_at) * 1000000)::bigint)::text AS created_us
           FROM ${s}.instances i ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY i.created_at DESC, i.id DESC LIMIT ${Math.trunc(limit) + 1}`;
  return { sql, args };
}

export function uiQueries(schema: string) {
  const s = quoteIdent(schema);
  return {
    /** One page (and whether there is another after it). */
    async instances(q: Queryable, f: ListFilter, limit = PAGE_SIZE): Promise<{ rows: ListedInstance[]; more: boolean }> {
      const query = listQuery(s, f, limit);
      if (!query) return { rows: [], more: false };
      const rows = await q.query<ListedInstance>(query.sql, query.args);
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },

    /** Every registered version of every workflow: name, hash, when first registered. */
    async definitions(q: Queryable): Promise<Array<{ name: string; hash: string; created_at: number }>> {
      return q.query(`SELECT name, hash, ${ms("created_at")} FROM ${s}.definitions ORDER BY name, created_at DESC, hash`);
    },

    /** Instances by version and status (one pass over the table: about a second per million rows). */
    async versionCounts(q: Queryable): Promise<Array<{ hash: string; status: InstanceStatus; count: string }>> {
      return q.query(`SELECT hash, status, count(*)::text AS count FROM ${s}.instances GROUP BY hash, status`);
    },

    /** Durations (p50, p99, in ms) of each version's completed instances among the latest DURATION_SAMPLE completed. */
    async versionDurations(q: Queryable): Promise<Array<{ hash: string; p50: number | null; p99: number | null }>> {
      return q.query(
        `SELECT hash, percentile_cont(0.5) WITHIN GROUP (ORDER BY took) AS p50, percentile_cont(0.99) WITHIN GROUP (ORDER BY took) AS p99
           FROM (SELECT i.hash, extract(epoch from i.finished_at - i.created_at) * 1000 AS took FROM ${s}.instances i
                  WHERE i.status = 'completed' ORDER BY i.created_at DESC, i.id DESC LIMIT ${DURATION_SAMPLE}) recent
          GROUP BY hash`,
      );
    },

    async workflowNames(q: Queryable): Promise<string[]> {
      return (await q.query<{ name: string }>(`SELECT DISTINCT name FROM ${s}.definitions ORDER BY name`)).map((r) => r.name);
    },

    async workers(q: Queryable): Promise<Array<{ id: string; actions: string[]; workflows: string[]; started_at: number; heartbeat_at: number; now: number; running: string }>> {
      return q.query(
        `SELECT w.id, w.actions, w.workflows, ${ms("w.started_at", "started_at")}, ${ms("w.heartbeat_at", "heartbeat_at")}, ${ms("clock_timestamp()", "now")},
                (SELECT count(*) FROM ${s}.tasks t WHERE t.lease_until IS NOT NULL AND t.worker_id = w.id)::text AS running
           FROM ${s}.workers w ORDER BY w.heartbeat_at DESC`,
      );
    },
  };
}

export type UiQueries = ReturnType<typeof uiQueries>;
