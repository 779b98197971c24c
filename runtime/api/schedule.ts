import { CatchUpPolicies, OverlapPolicies, ScheduleOptionKeys } from "../../ir-schema/vocabulary.ts";
import { parseDuration, type Duration } from "./duration.ts";
import { checkKeys } from "./option-keys.ts";
import type { WorkflowBody, WorkflowClass } from "./workflow.ts";

/** A 5-field cron expression (`"0 3 * * *"`), or a fixed interval. */
export type ScheduleSpec = string | { every: Duration };

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone?: string;
  /** The input of every instance the schedule starts. */
  input?: Record<string, unknown>;
  /** Ticks missed while no worker ran: start the latest once (default), all of them, or none. */
  catchUp?: (typeof CatchUpPolicies)[number];
  /** A tick whose previous instance still runs: skip it (default) or start anyway. */
  overlap?: (typeof OverlapPolicies)[number];
}

/** What `schedule(...)` evaluates to at run time; the compiler reads the declaration from source. */
export interface ScheduleDeclaration {
  readonly kind: "cairn.schedule";
  readonly spec: ScheduleSpec;
  readonly workflow: WorkflowClass | WorkflowBody;
  readonly options: ScheduleOptions;
}

/**
 * Declares a schedule (exported at module level): the build compiles it into the
 * manifest, and workers serving the workflow start one instance per tick.
 */
export function schedule(spec: ScheduleSpec, workflow: WorkflowClass | WorkflowBody, options: ScheduleOptions = {}): ScheduleDeclaration {
  if (typeof spec === "object" && spec !== null) parseDuration(spec.every, "schedule interval");
  else if (typeof spec !== "string") throw new TypeError("schedule(spec, ...): expected a cron expression or { every: duration }");
  checkKeys(options, ScheduleOptionKeys, "schedule option");
  if (options.catchUp !== undefined && !CatchUpPolicies.includes(options.catchUp)) {
    throw new TypeError(`invalid catchUp ${JSON.stringify(options.catchUp)}: expected ${CatchUpPolicies.join(", ")}`);
  }
  if (options.overlap !== undefined && !OverlapPolicies.includes(options.overlap)) {
    throw new TypeError(`invalid overlap ${JSON.stringify(options.overlap)}: expected ${OverlapPolicies.join(", ")}`);
  }
  return Object.freeze({ kind: "cairn.schedule", spec, workflow, options });
}
