import type { ScheduleEntry } from "../../ir-schema/index.ts";
import { scheduleSpecProblem } from "../../ir-schema/schedule-spec.ts";
import { CatchUpPolicies, OverlapPolicies } from "../../ir-schema/vocabulary.ts";

/**
 * What is wrong with a manifest's `schedules` (absent is fine: a build without
 * any), or null. A worker registers these entries as they are, so each is checked
 * as the compiler would have made it: a spec that would fail at every tick is
 * refused at load instead.
 */
export function schedulesProblem(schedules: unknown): string | null {
  if (schedules === undefined) return null;
  if (!Array.isArray(schedules)) return "`schedules` must be an array";
  const seen = new Set<string>();
  for (const [i, e] of schedules.entries()) {
    const problem = entryProblem(e);
    if (problem) return `schedules[${i}]: ${problem}`;
    const name = (e as ScheduleEntry).name;
    if (seen.has(name)) return `schedule "${name}" is listed twice`;
    seen.add(name);
  }
  return null;
}

function entryProblem(e: unknown): string | null {
  if (typeof e !== "object" || e === null || Array.isArray(e)) return "expected an object";
  const entry = e as Record<string, unknown>;
  for (const key of ["name", "workflow", "timezone", "source"]) {
    if (typeof entry[key] !== "string") return `\`${key}\` must be a string`;
  }
  const input = entry.input;
  if (typeof input !== "object" || input === null || Array.isArray(input)) return "`input` must be an object";
  if (!(CatchUpPolicies as readonly unknown[]).includes(entry.catchUp)) return `\`catchUp\` must be one of ${CatchUpPolicies.join(", ")}`;
  if (!(OverlapPolicies as readonly unknown[]).includes(entry.overlap)) return `\`overlap\` must be one of ${OverlapPolicies.join(", ")}`;
  return scheduleSpecProblem(entry.spec, entry.timezone as string)?.message ?? null;
}
