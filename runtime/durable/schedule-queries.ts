/**
 * The SQL of schedules (migration 0005), for the scheduler rounds of workers
 * (scheduler.ts) and for clients (`client.schedules()`, pause, resume). Times
 * cross as epoch milliseconds read from the database's clock, so a tick is never
 * judged by a worker's clock.
 */
import type { Json, ScheduleEntry } from "../../ir-schema/index.ts";
import { describeSpec, ticksOf, type ScheduleSpec } from "../../ir-schema/schedule-spec.ts";
import type { Db, Queryable } from "../store/db.ts";
import { quoteIdent } from "../store/migrate.ts";
import { json, ms, type InstanceStatus } from "./sql.ts";

/** A schedule as stored, with the status of the instance it started last (null: none, or pruned). */
export interface ScheduleRow {
  name: string;
  workflow: string;
  hash: string;
  spec: ScheduleSpec;
  timezone: string;
  input: Record<string, Json>;
  catch_up: ScheduleEntry["catchUp"];
  overlap: ScheduleEntry["overlap"];
  paused: boolean;
  /** Null when the spec has no tick left (a cron date that never comes again). */
  next_at: number | null;
  last_tick: number | null;
  last_instance: string | null;
  last_status: InstanceStatus | null;
  /** The database clock when the row was read. */
  now: number;
}

/** What `client.schedules()` and `cairn schedules` show of a schedule. */
export interface ScheduleInfo {
  name: string;
  workflow: string;
  /** The cron expression, or `every <duration>`. */
  spec: string;
  timezone: string;
  input: Record<string, Json>;
  catchUp: ScheduleEntry["catchUp"];
  overlap: ScheduleEntry["overlap"];
  state: "active" | "paused";
  nextTick: Date | null;
  lastTick: Date | null;
  lastInstance: string | null;
  lastStatus: InstanceStatus | null;
}

/** Pausing or resuming a schedule no worker has registered. */
export class UnknownScheduleError extends Error {
  override name = "UnknownScheduleError";
}

const COLS = (s = "s.", i = "i.") => `${s}name, ${s}workflow, ${s}hash, ${s}spec, ${s}timezone, ${s}input, ${s}catch_up, ${s}overlap, ${s}paused,
  CASE WHEN ${s}next_at = 'infinity' THEN NULL ELSE (extract(epoch from ${s}next_at) * 1000)::float8 END AS next_at, ${ms(`${s}last_tick`, "last_tick")},
  ${s}last_instance, ${i}status AS last_status, ${ms("clock_timestamp()", "now")}`;
/** A time in epoch ms as a timestamptz parameter; null is a schedule with no tick left. */
const AT = (n: number) => `COALESCE(to_timestamp($${n}::float8 / 1000), 'infinity')`;

export function scheduleQueries(schema: string) {
  const s = quoteIdent(schema);
  const from = `${s}.schedules s LEFT JOIN ${s}.instances i ON i.id = s.last_instance`;
  return {
    async dbNow(q: Queryable): Promise<number> {
      const [row] = await q.query<{ now: number }>(`SELECT ${ms("clock_timestamp()", "now")}`);
      return row.now;
    },

    /**
     * Registers a schedule as a worker's build declares it. A new schedule, or one
     * whose spec or time zone changed, ticks next at `nextAt`; otherwise its next
     * tick stays (ticks missed while no worker ran are caught up), and `paused`
     * always stays: only pause/resume set it.
     */
    async upsert(q: Queryable, e: ScheduleEntry, hash: string, nextAt: number | null): Promise<void> {
      await q.query(
        `INSERT INTO ${s}.schedules AS t (name, workflow, hash, spec, timezone, input, catch_up, overlap, next_at)
         VALUES ($1, $2, $3, $4::text::json, $5, $6::text::json, $7, $8, ${AT(9)})
         ON CONFLICT (name) DO UPDATE SET workflow = EXCLUDED.workflow, hash = EXCLUDED.hash, spec = EXCLUDED.spec,
           timezone = EXCLUDED.timezone, input = EXCLUDED.input, catch_up = EXCLUDED.catch_up, overlap = EXCLUDED.overlap,
           next_at = CASE WHEN t.spec::text = EXCLUDED.spec::text AND t.timezone = EXCLUDED.timezone THEN t.next_at ELSE EXCLUDED.next_at END,
           updated_at = now()`,
        [e.name, e.workflow, hash, json(e.spec), e.timezone, json(e.input), e.catchUp, e.overlap, nextAt],
      );
    },

    /** Due schedules of these workflows no other round holds, locked until the transaction ends. */
    async claimDue(tx: Queryable, workflows: readonly string[], limit: number): Promise<ScheduleRow[]> {
      return tx.query<ScheduleRow>(
        `SELECT ${COLS()} FROM ${from}
          WHERE NOT s.paused AND s.next_at <= clock_timestamp() AND s.workflow = ANY($1::text[])
          ORDER BY s.next_at LIMIT $2 FOR UPDATE OF s SKIP LOCKED`,
        [workflows, limit],
      );
    },

    /** A round's outcome: the next tick, and the last tick started with its instance (kept when none started). */
    async advance(tx: Queryable, name: string, nextAt: number | null, started: { tick: number; instance: string } | null): Promise<void> {
      await tx.query(
        `UPDATE ${s}.schedules SET next_at = ${AT(2)}, last_tick = COALESCE(to_timestamp($3::float8 / 1000), last_tick),
           last_instance = COALESCE($4::uuid, last_instance), updated_at = now() WHERE name = $1`,
        [name, nextAt, started?.tick ?? null, started?.instance ?? null],
      );
    },

    /** Milliseconds until the earliest tick of these workflows' active schedules (negative: due); null when there is none. */
    async untilNextTick(q: Queryable, workflows: readonly string[]): Promise<number | null> {
      const [row] = await q.query<{ ms: number | null }>(
        `SELECT (extract(epoch from min(next_at) - clock_timestamp()) * 1000)::float8 AS ms FROM ${s}.schedules
          WHERE NOT paused AND next_at <> 'infinity' AND workflow = ANY($1::text[])`,
        [workflows],
      );
      return row?.ms ?? null;
    },

    async list(q: Queryable): Promise<ScheduleInfo[]> {
      return (await q.query<ScheduleRow>(`SELECT ${COLS()} FROM ${from} ORDER BY s.name`)).map(info);
    },

    /**
     * Pauses or resumes a schedule. A resumed schedule ticks next at its first tick
     * after now: the ticks of the pause are not caught up.
     */
    async setPaused(db: Db, name: string, paused: boolean): Promise<ScheduleInfo> {
      return db.transaction(async (tx) => {
        const [row] = await tx.query<ScheduleRow>(`SELECT ${COLS()} FROM ${from} WHERE s.name = $1 FOR UPDATE OF s`, [name]);
        if (!row) throw new UnknownScheduleError(`no schedule named '${name}' (a worker serving its workflow registers it)`);
        if (row.paused === paused) return info(row);
        const nextAt = paused ? row.next_at : ticksOf(row.spec, row.timezone).next(row.now);
        await tx.query(`UPDATE ${s}.schedules SET paused = $2, next_at = ${AT(3)}, updated_at = now() WHERE name = $1`, [name, paused, nextAt]);
        return info({ ...row, paused, next_at: nextAt });
      });
    },
  };
}

export type ScheduleQueries = ReturnType<typeof scheduleQueries>;

function info(row: ScheduleRow): ScheduleInfo {
  const date = (at: number | null) => (at === null ? null : new Date(at));
  return {
    name: row.name,
    workflow: row.workflow,
    spec: describeSpec(row.spec),
    timezone: row.timezone,
    input: row.input,
    catchUp: row.catch_up,
    overlap: row.overlap,
    state: row.paused ? "paused" : "active",
    nextTick: date(row.next_at),
    lastTick: date(row.last_tick),
    lastInstance: row.last_instance,
    lastStatus: row.last_status,
  };
}
