/**
 * What a schedule's spec means: which instants are its ticks. The compiler checks
 * specs with it (an invalid cron expression is a build error) and workers compute
 * ticks with it, so both read a spec the same way. Cron expressions are read by
 * croner (time zones and DST as Vixie cron: a local time skipped by a spring-forward
 * jump fires at the first valid time after it, one that occurs twice fires once);
 * nothing here parses cron itself.
 */
import { Cron } from "croner";
import { parseDuration, type Duration } from "./duration.ts";

/** A 5-field cron expression (`"0 3 * * *"`), or a fixed interval. */
export type ScheduleSpec = string | { every: Duration };

export const DEFAULT_TIMEZONE = "UTC";
/** Shortest interval of `{ every }`: each tick is a database round trip and an instance. */
export const MIN_INTERVAL_MS = 1000;

/** The instants a spec fires at, in milliseconds since the epoch. */
export interface Ticks {
  /** The first tick strictly after `afterMs`; null when there is none (a cron date that never comes). */
  next(afterMs: number): number | null;
  /** The last tick at or before `atMs`; null when there is none. */
  latest(atMs: number): number | null;
}

/** Thrown for a spec or time zone that cannot be scheduled; `what` says which part is wrong. */
export class ScheduleSpecError extends Error {
  override name = "ScheduleSpecError";
  constructor(readonly what: "spec" | "timezone", message: string) {
    super(message);
  }
}

/** The ticks of `spec` read in `timezone` (IANA name; only cron expressions depend on it). Throws ScheduleSpecError. */
export function ticksOf(spec: unknown, timezone: string = DEFAULT_TIMEZONE): Ticks {
  const tzProblem = timezoneProblem(timezone);
  if (tzProblem !== null) throw new ScheduleSpecError("timezone", tzProblem);
  if (typeof spec === "string") return cronTicks(spec, timezone);
  if (typeof spec === "object" && spec !== null && !Array.isArray(spec) && Object.keys(spec).join() === "every") {
    return intervalTicks((spec as { every: unknown }).every);
  }
  throw new ScheduleSpecError("spec", `invalid schedule ${describeSpec(spec)}: expected a 5-field cron expression or { every: duration }`);
}

/** What is wrong with `spec` in `timezone`, or null when it can be scheduled. */
export function scheduleSpecProblem(spec: unknown, timezone: string = DEFAULT_TIMEZONE): ScheduleSpecError | null {
  try {
    ticksOf(spec, timezone);
    return null;
  } catch (error) {
    if (error instanceof ScheduleSpecError) return error;
    throw error;
  }
}

/** Null when Intl knows the time zone; else why not. */
export function timezoneProblem(timezone: unknown): string | null {
  if (typeof timezone !== "string" || timezone === "") return `invalid time zone ${JSON.stringify(timezone)}: expected an IANA name such as "Europe/Berlin"`;
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: timezone });
    return null;
  } catch {
    return `unknown time zone ${JSON.stringify(timezone)}: expected an IANA name such as "Europe/Berlin" or "UTC"`;
  }
}

/** A spec as a person reads it: the cron expression, or `every 5m`. */
export function describeSpec(spec: unknown): string {
  if (typeof spec === "string") return spec;
  if (typeof spec === "object" && spec !== null && "every" in spec) return `every ${String((spec as { every: unknown }).every)}`;
  return JSON.stringify(spec) ?? String(spec);
}

function cronTicks(expression: string, timezone: string): Ticks {
  // croner also takes 6 and 7 fields (seconds, years) and nicknames (@daily): a
  // schedule is a 5-field expression, so the field count is checked first.
  const fields = expression.trim().split(/\s+/).filter(Boolean);
  if (fields.length !== 5) {
    throw new ScheduleSpecError(
      "spec",
      `invalid cron expression ${JSON.stringify(expression)}: expected 5 fields (minute hour day-of-month month day-of-week), found ${fields.length}`,
    );
  }
  let cron: Cron;
  try {
    cron = new Cron(fields.join(" "), { paused: true, timezone });
  } catch (error) {
    const reason = (error as Error).message.replace(/^CronPattern: /, "");
    throw new ScheduleSpecError("spec", `invalid cron expression ${JSON.stringify(expression)}: ${reason}`);
  }
  const ticks: Ticks = {
    next: (afterMs) => cron.nextRun(new Date(afterMs))?.getTime() ?? null,
    // previousRuns gives the runs strictly before its reference.
    latest: (atMs) => cron.previousRuns(1, new Date(atMs + 1))[0]?.getTime() ?? null,
  };
  if (ticks.next(Date.UTC(2000, 0, 1)) === null) {
    throw new ScheduleSpecError("spec", `invalid cron expression ${JSON.stringify(expression)}: it matches no date`);
  }
  return ticks;
}

function intervalTicks(every: unknown): Ticks {
  let ms: number;
  try {
    ms = parseDuration(every as Duration, "schedule interval");
  } catch (error) {
    throw new ScheduleSpecError("spec", (error as Error).message);
  }
  if (ms < MIN_INTERVAL_MS || !Number.isInteger(ms)) {
    throw new ScheduleSpecError("spec", `invalid schedule interval ${JSON.stringify(every)}: expected a whole number of milliseconds, at least 1s`);
  }
  // Ticks are the multiples of the interval since the epoch: every worker computes
  // the same instants, which the idempotency key of each tick's instance relies on.
  return {
    next: (afterMs) => (Math.floor(afterMs / ms) + 1) * ms,
    latest: (atMs) => Math.floor(atMs / ms) * ms,
  };
}
