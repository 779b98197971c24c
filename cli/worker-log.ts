import type { WorkerEvent } from "../runtime/durable/worker.ts";
import { errorClassName } from "../runtime/interpreter/errors.ts";
import { isSystemAction } from "../ir-schema/vocabulary.ts";
import type { LogEntry } from "../runtime/interpreter/state.ts";
import { logText } from "../runtime/runner/log-output.ts";
import type { Output } from "./output.ts";
import { LOG_LEVELS, type LogFormat, type LogLevel } from "./worker-settings.ts";

/** Where a line belongs: the instance, its workflow and the call (each when there is one). */
export interface LogContext {
  instance?: string;
  workflow?: string;
  call?: string;
  action?: string;
  attempt?: number;
}

/**
 * `cairn worker`'s log: one line per record, each with its time and level, and for
 * anything about a call the instance id, workflow and call id. `text` is for people
 * (`<ISO time> <level> cairn: <message> instance=... workflow=... call=...`), `json`
 * for log collectors (one object a line: time, level, msg, worker, and the context
 * fields). Records below the level are dropped.
 */
export class WorkerLog {
  private readonly min: number;
  workerId: string | undefined;

  constructor(private readonly out: Output, private readonly format: LogFormat, level: LogLevel, private readonly now = () => new Date()) {
    this.min = LOG_LEVELS.indexOf(level);
  }

  /**
   * The worker's start and stop lines (level info): written at every level, since
   * "serving" is what scripts and people wait for, and --quiet keeps them.
   */
  lifecycle(message: string): void {
    this.write("info", message, {}, {}, true);
  }

  write(level: LogLevel, message: string, context: LogContext = {}, extra: Record<string, unknown> = {}, always = false): void {
    if (!always && LOG_LEVELS.indexOf(level) < this.min) return;
    const time = this.now().toISOString();
    if (this.format === "json") {
      const record = { time, level, msg: message, worker: this.workerId, ...context, ...extra };
      this.out.stderr(JSON.stringify(record) + "\n");
      return;
    }
    const fields = Object.entries(context)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k}=${String(v)}`)
      .join("");
    // A multi-line message (a workflow's console.log of an object) keeps its prefix on every line.
    for (const line of message.split("\n")) this.out.stderr(`${time} ${level.padEnd(5)} cairn: ${line}${fields}\n`);
  }

  /** A worker event as a record (see levelOf for which level each kind gets). */
  event(e: WorkerEvent): void {
    switch (e.type) {
      case "claimed":
        // A receive's message or a child's end arriving: its "done" line says it.
        if (isSystemAction(e.action)) return;
        return this.write("debug", `${e.action} started${e.attempt > 1 ? ` (attempt ${e.attempt})` : ""}`, callContext(e));
      case "completed":
        return this.write(e.ok ? "info" : "warn", `${shown(e.action)} ${e.ok ? "done" : "failed"}`, callContext(e));
      case "retry":
        return this.write("warn", `${e.action} failed (${errorClassName(e.error)}: ${e.error.message}); retrying in ${e.delayMs}ms`, callContext(e), {
          error: { name: errorClassName(e.error), message: e.error.message },
        });
      case "lease-lost":
        return this.write("warn", "lease lost; another worker owns this call now", { instance: e.instanceId, workflow: e.workflow, call: e.callId });
      case "woke":
        return this.write("debug", `woke ${e.count} sleeping instance(s)`);
      case "log":
        return this.write(logLevelOf(e.entry), logText(e.entry).trimEnd(), { instance: e.instanceId, workflow: e.workflow, call: e.entry.callPosition });
      case "scheduled":
        return this.write("info", `schedule ${e.schedule}: tick ${new Date(e.tick).toISOString()} started`, { instance: e.instanceId, workflow: e.workflow });
      case "schedule-skipped":
        return this.write("error", `schedule ${e.schedule}: the tick ${new Date(e.tick).toISOString()} started nothing: ${e.error.message}`);
      case "error":
        return this.write("error", `${e.where}: ${e.error.message} (retrying)`);
    }
  }
}

function callContext(e: { instanceId: string; workflow?: string; callId: string; action: string; attempt: number }): LogContext {
  return { instance: e.instanceId, workflow: e.workflow, call: e.callId, action: shown(e.action), attempt: e.attempt };
}

/** A system action (%child, %receive, %send) by the word the source uses. */
function shown(action: string): string {
  return isSystemAction(action) ? action.slice(1) : action;
}

/** A workflow's console.* call: console.log and console.info are info. */
function logLevelOf(entry: LogEntry): LogLevel {
  return entry.level === "log" ? "info" : entry.level;
}
