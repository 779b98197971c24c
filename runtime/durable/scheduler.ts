/**
 * Schedules, on the worker side: a worker registers the schedules of its build
 * for the workflows it serves, then runs scheduler rounds. A round claims the due
 * schedules of those workflows (FOR UPDATE SKIP LOCKED: a schedule is in one
 * round at a time), starts each tick's instance under the idempotency key
 * `schedule:<name>:<tick ISO time>`, and moves the schedule's next tick past now.
 * Ticks are computed from the spec alone (schedule-spec.ts), so every worker
 * names a tick the same way: a round that crashes after starting an instance and
 * is redone by another worker finds the instance by its key instead of starting a
 * second one. Exactly one instance per tick, however many workers run.
 *
 * The tick's time reaches the workflow as its `scheduledAt` parameter (an ISO
 * string) when it has a parameter of that name; every other parameter comes from
 * the schedule's `input`.
 */
import type { WorkerEvent } from "./worker-options.ts";
import type { Artifact, Json } from "../../ir-schema/index.ts";
import { ticksOf } from "../../ir-schema/schedule-spec.ts";
import type { Engine } from "./engine.ts";
import { isTransient } from "./fault.ts";
import { scheduleQueries, type ScheduleQueries, type ScheduleRow } from "./schedule-queries.ts";
import { scheduleEntries, type ScheduleSource } from "./schedule-source.ts";

/** The parameter a scheduled workflow reads its tick's time from. */
export const SCHEDULED_AT_PARAM = "scheduledAt";
/** Schedules claimed per round, and ticks started per schedule per round under catchUp "all" (the rest in the next rounds). */
const ROUND_LIMIT = 50;
/**
 * Under catchUp "none", the tick of a round counts as on time (and starts) when it
 * is the only one due and at most this late: a round a little behind its tick is
 * not a worker that was down.
 */
export const ON_TIME_MS = 60_000;
/** Pause after a round that found a schedule due but held by another worker's round. */
const CONTENDED_MS = 50;
const FINISHED = new Set(["completed", "failed", "cancelled"]);

export interface SchedulerOptions {
  /** Longest wait between rounds (a resumed or newly registered schedule is seen within it). */
  pollMs: number;
  report: (error: Error) => void;
  /** A tick started its instance, or was skipped for good. */
  onEvent: (event: Extract<WorkerEvent, { type: "scheduled" | "schedule-skipped" }>) => void;
}

export class Scheduler {
  private readonly q: ScheduleQueries;
  /** Names of the workflows this worker serves: it runs the rounds of their schedules. */
  private served: string[] = [];

  constructor(private readonly engine: Engine, private readonly options: SchedulerOptions) {
    this.q = scheduleQueries(engine.schema);
  }

  /**
   * Registers the schedules of `entries` whose workflow is among `workflows` (the
   * worker's); the others belong to other workers. A schedule whose input does not
   * fit its workflow is refused here, at start, rather than failing every tick.
   */
  async register(schedules: ScheduleSource | undefined, workflows: readonly Artifact[]): Promise<void> {
    const byName = new Map(workflows.map((w) => [w.name, w]));
    this.served = [...byName.keys()];
    const mine = scheduleEntries(schedules).filter((e) => byName.has(e.workflow));
    if (mine.length === 0) return;
    const now = await this.q.dbNow(this.engine.db);
    for (const entry of mine) {
      const artifact = byName.get(entry.workflow)!;
      try {
        this.engine.checkInput(artifact, inputFor(artifact, entry.input, now));
      } catch (error) {
        throw new Error(`schedule ${entry.name}: ${(error as Error).message}`);
      }
      await this.q.upsert(this.engine.db, entry, artifact.hash, ticksOf(entry.spec, entry.timezone).next(now));
    }
  }

  /** Rounds until `signal` aborts, each as soon as a tick is due (and at least every pollMs). */
  async loop(signal: AbortSignal): Promise<void> {
    if (this.served.length === 0) return;
    let backoff = 100;
    while (!signal.aborted) {
      let wait: number;
      try {
        // One cheap read while nothing is due; a round (a transaction) only when something is.
        const until = await this.q.untilNextTick(this.engine.db, this.served);
        backoff = 100;
        if (until !== null && until <= 0) {
          if ((await this.round()) > 0) continue; // read the next tick again at once: more may be due
          wait = CONTENDED_MS; // due, but in another worker's round
        } else wait = until === null ? this.options.pollMs : Math.min(this.options.pollMs, Math.ceil(until));
      } catch (error) {
        this.options.report(error as Error);
        wait = backoff;
        backoff = Math.min(backoff * 2, 5000);
      }
      await sleep(wait, signal);
    }
  }

  /** One round: the due schedules this worker may run, each advanced in one transaction. Returns how many it claimed. */
  async round(): Promise<number> {
    if (this.served.length === 0) return 0;
    return this.engine.db.transaction(async (tx) => {
      const rows = await this.q.claimDue(tx, this.served, ROUND_LIMIT);
      for (const row of rows) {
        const { nextAt, started } = await this.tick(row);
        await this.q.advance(tx, row.name, nextAt, started);
      }
      return rows.length;
    });
  }

  /**
   * What one due schedule starts. Instances start outside the round's transaction
   * (engine.start writes on its own): should the round roll back, the next one
   * starts the same ticks, which their keys turn into the instances already there.
   */
  private async tick(row: ScheduleRow): Promise<{ nextAt: number | null; started: { tick: number; instance: string } | null }> {
    const ticks = ticksOf(row.spec, row.timezone);
    const now = row.now;
    const due: number[] = [];
    let t: number | null = row.next_at;
    while (t !== null && t <= now && due.length < ROUND_LIMIT) {
      due.push(t);
      t = ticks.next(t);
    }
    const more = t !== null && t <= now;
    let chosen: number[];
    let nextAt = ticks.next(now);
    if (row.catch_up === "all") {
      chosen = due;
      nextAt = t; // the first tick not started: past now only when this round hit its limit
    } else if (row.catch_up === "latest") {
      const latest = more ? ticks.latest(now) : due[due.length - 1];
      chosen = latest === null || latest === undefined ? [] : [latest];
    } else {
      chosen = due.length === 1 && !more && now - due[0] <= ON_TIME_MS ? due : [];
    }
    // overlap "skip": the round's ticks are skipped while the instance of an earlier round runs.
    if (row.overlap === "skip" && row.last_status !== null && !FINISHED.has(row.last_status)) chosen = [];
    let started: { tick: number; instance: string } | null = null;
    if (chosen.length === 0) return { nextAt, started };
    const artifact = await this.engine.artifact(this.engine.db, row.hash);
    for (const tick of chosen) {
      try {
        const { id, created } = await this.engine.start(artifact, inputFor(artifact, row.input, tick), `schedule:${row.name}:${new Date(tick).toISOString()}`);
        started = { tick, instance: id };
        // Not created: a round that rolled back had started it, and said so then.
        if (created) this.options.onEvent({ type: "scheduled", schedule: row.name, tick, instanceId: id, workflow: artifact.name });
      } catch (error) {
        // The database away: the round rolls back and is redone. Anything else would
        // fail at every try (the input no longer fits): the tick is skipped, said.
        if (isTransient(error)) throw error;
        this.options.onEvent({ type: "schedule-skipped", schedule: row.name, tick, error: error as Error });
      }
    }
    return { nextAt, started };
  }
}

/** A tick's instance input: the schedule's, with the tick's time as `scheduledAt` when the workflow takes it. */
export function inputFor(artifact: Artifact, input: Record<string, Json>, tick: number): Record<string, Json> {
  return artifact.params.includes(SCHEDULED_AT_PARAM) ? { ...input, [SCHEDULED_AT_PARAM]: new Date(tick).toISOString() } : input;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal.addEventListener("abort", done, { once: true });
  });
}
