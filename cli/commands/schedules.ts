import { Client } from "../../runtime/durable/client.ts";
import { UnknownScheduleError, type ScheduleInfo } from "../../runtime/durable/schedule-queries.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";

/**
 * `cairn schedules [--json]`: every schedule workers have registered, one a line:
 * name, workflow, spec (and time zone), next tick, last instance (with its status)
 * and state. `cairn schedules pause|resume <name>`: stops or restarts its ticks
 * (an unknown name is a usage error, exit 3); a resumed schedule ticks from its
 * next tick after now, without catching up the pause.
 */
export async function schedules(action: string | undefined, name: string | undefined, options: { json?: boolean }, cwd: string, out: Output): Promise<ExitCode> {
  if (action !== undefined && action !== "pause" && action !== "resume") {
    throw new UsageError(`unknown schedules command '${action}': use cairn schedules, cairn schedules pause <name> or cairn schedules resume <name>`);
  }
  if (action !== undefined && !name) throw new UsageError(`cairn schedules ${action} needs the schedule's name`);
  if (action === undefined && name !== undefined) throw new UsageError(`unexpected argument '${name}'`);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    if (action === undefined) {
      const list = await client.schedules();
      if (options.json) out.stdout(JSON.stringify(list) + "\n");
      else out.stdout(list.length === 0 ? "no schedules registered (a worker serving a scheduled workflow registers its schedules)\n" : table(list));
      return ExitCode.ok;
    }
    let info: ScheduleInfo;
    try {
      info = action === "pause" ? await client.pauseSchedule(name!) : await client.resumeSchedule(name!);
    } catch (error) {
      if (error instanceof UnknownScheduleError) throw new UsageError(error.message);
      throw error;
    }
    if (options.json) out.stdout(JSON.stringify(info) + "\n");
    out.stderr(`cairn: schedule ${info.name} ${info.state === "paused" ? "paused" : `active, next tick ${iso(info.nextTick)}`}\n`);
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}

function table(list: readonly ScheduleInfo[]): string {
  const rows = [
    ["NAME", "WORKFLOW", "SPEC", "NEXT TICK", "LAST INSTANCE", "STATE"],
    ...list.map((s) => [
      s.name,
      s.workflow,
      s.timezone === "UTC" ? s.spec : `${s.spec} (${s.timezone})`,
      s.state === "paused" ? "-" : iso(s.nextTick),
      s.lastInstance === null ? "-" : `${s.lastInstance} (${s.lastStatus ?? "pruned"})`,
      s.state,
    ]),
  ];
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ")).join("\n") + "\n";
}

function iso(at: Date | null): string {
  return at === null ? "never" : at.toISOString();
}
