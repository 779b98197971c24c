import { CatchUpPolicies, OverlapPolicies, ScheduleOptionKeys } from "../../ir-schema/vocabulary.ts";
import { DEFAULT_TIMEZONE, scheduleSpecProblem, type ScheduleSpec } from "../../ir-schema/schedule-spec.ts";
import { checkKeys } from "./option-keys.ts";
import type { WorkflowBody, WorkflowClass } from "./workflow.ts";
import type { CompiledWorkflow } from "./compiled.ts";

export type { ScheduleSpec };

export interface ScheduleOptions {
  /** IANA time zone the cron expression is read in; default UTC. */
  timezone?: string;
  /**
   * The input of every instance the schedule starts (its parameters, by name). A
   * workflow with a parameter named `scheduledAt` also gets the tick's time there,
   * as an ISO string (`"2026-03-29T03:00:00.000Z"`).
   */
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
  readonly workflow: WorkflowClass | WorkflowBody | CompiledWorkflow;
  readonly options: ScheduleOptions;
}

/**
 * Declares a schedule (exported at module level): the build compiles it into the
 * manifest, and workers serving the workflow start one instance per tick.
 */
export function schedule(spec: ScheduleSpec, workflow: WorkflowClass | WorkflowBody | CompiledWorkflow, options: ScheduleOptions = {}): ScheduleDeclaration {
  checkKeys(options, ScheduleOptionKeys, "schedule option");
  // The build has checked a compiled declaration already; this is for code run without it.
  const problem = scheduleSpecProblem(spec, options.timezone ?? DEFAULT_TIMEZONE);
  if (problem) throw new TypeError(problem.message);
  if (options.catchUp !== undefined && !CatchUpPolicies.includes(options.catchUp)) {
    throw new TypeError(`invalid catchUp ${JSON.stringify(options.catchUp)}: expected ${CatchUpPolicies.join(", ")}`);
  }
  if (options.overlap !== undefined && !OverlapPolicies.includes(options.overlap)) {
    throw new TypeError(`invalid overlap ${JSON.stringify(options.overlap)}: expected ${OverlapPolicies.join(", ")}`);
  }
  return Object.freeze({ kind: "cairn.schedule", spec, workflow, options });
}
