/**
 * What a Worker may be given as its schedules: the manifest's entries
 * (`loadArtifactDir(dir).manifest.schedules`, what `cairn worker` passes), or a
 * module's exports (`await import("./schedules.ts")`), whose `schedule(...)`
 * values are named by their export names, as the compiler names them.
 */
import type { ScheduleEntry } from "../../ir-schema/index.ts";
import { DEFAULT_TIMEZONE } from "../../ir-schema/schedule-spec.ts";
import { CatchUpPolicies, OverlapPolicies } from "../../ir-schema/vocabulary.ts";
import { isCompiledWorkflow } from "../api/compiled.ts";
import type { ScheduleDeclaration } from "../api/schedule.ts";

export type ScheduleSource = readonly ScheduleEntry[] | Readonly<Record<string, unknown>>;

export function scheduleEntries(source: ScheduleSource | undefined): ScheduleEntry[] {
  if (source === undefined) return [];
  if (Array.isArray(source)) return [...(source as readonly ScheduleEntry[])];
  const entries: ScheduleEntry[] = [];
  for (const [name, value] of Object.entries(source)) {
    if (!isScheduleDeclaration(value)) continue;
    const { spec, options } = value;
    entries.push({
      name,
      workflow: workflowName(name, value.workflow),
      spec,
      timezone: options.timezone ?? DEFAULT_TIMEZONE,
      input: (options.input ?? {}) as ScheduleEntry["input"],
      catchUp: options.catchUp ?? CatchUpPolicies[0],
      overlap: options.overlap ?? OverlapPolicies[0],
      source: "",
    });
  }
  return entries;
}

function isScheduleDeclaration(value: unknown): value is ScheduleDeclaration {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "cairn.schedule";
}

/** A compiled handle's name, or the `workflowName` of a `workflow(...)` function or `@workflow` class. */
function workflowName(schedule: string, workflow: unknown): string {
  if (isCompiledWorkflow(workflow)) return workflow.name;
  const name = (workflow as { workflowName?: unknown } | null)?.workflowName;
  if ((typeof workflow === "function" || typeof workflow === "object") && typeof name === "string") return name;
  throw new TypeError(`schedule ${schedule}: its workflow is not a workflow (a workflow(...) function, an @workflow class or a compiled handle)`);
}
