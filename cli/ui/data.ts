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

export interface ListFilter {
  workflow?: string;
  status?: InstanceStatus;
  /** A prefix of an instance id (hex digits, dashes optional). */
  id?: string;
  /** Rows strictly older than this cursor (`<created_at µs>.<id>`). */
  before?: string;
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

export function uiQueries(schema: string) {
  const s = quoteIdent(schema);
  return {
    /** One page (and whether there is another after it). */
    async instances(q: Queryable, f: ListFilter, limit = PAGE_SIZE): Promise<{ rows: ListedInstance[]; more: boolean }> {
      const where: string[] = [];
      const args: unknown[] = [];
      const arg = (v: unknown) => `$${args.push(v)}`;
      if (f.workflow) where.push(`workflow = ${arg(f.workflow)}`);
      if (f.status) where.push(`status = ${arg(f.status)}`);
      if (f.id) {
        const range = idRange(f.id);
        if (!range) return { rows: [], more: false };
        where.push(`id BETWEEN ${arg(range[0])}::uuid AND ${arg(range[1])}::uuid`);
      }
      const cursor = parseCursor(f.before);
      if (cursor) {
        where.push(`(created_at, id) < (timestamptz 'epoch' + ${arg(cursor.us)}::bigint * interval '1 microsecond', ${arg(cursor.id)}::uuid)`);
      }
      const rows = await q.query<ListedInstance>(
        `SELECT id, workflow, hash, status, ${ms("created_at")}, ${ms("finished_at")},
                ((extract(epoch from created_at) * 1000000)::bigint)::text AS created_us
           FROM ${s}.instances ${where.length ? `WHERE ${where.join(" AND ")}` : ""}
          ORDER BY created_at DESC, id DESC LIMIT ${arg(limit + 1)}`,
        args,
      );
      return { rows: rows.slice(0, limit), more: rows.length > limit };
    },

    /** Every registered version of every workflow: name, hash, when first registered. */
    async definitions(q: Queryable): Promise<Array<{ name: string; hash: string; created_at: number }>> {
      return q.query(`SELECT name, hash, ${ms("created_at")} FROM ${s}.definitions ORDER BY name, created_at DESC, hash`);
    },

    /** Instances by version and status, with the durations of the completed ones (p50, p99). */
    async versionStats(q: Queryable): Promise<Array<{ hash: string; status: InstanceStatus; count: string; p50: number | null; p99: number | null }>> {
      return q.query(
        `SELECT hash, status, count(*)::text AS count,
                percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch from finished_at - created_at) * 1000) AS p50,
                percentile_cont(0.99) WITHIN GROUP (ORDER BY extract(epoch from finished_at - created_at) * 1000) AS p99
           FROM ${s}.instances GROUP BY hash, status`,
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
