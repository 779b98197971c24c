import type { WorkerEvent } from "../runtime/durable/worker.ts";
import { errorClassName } from "../runtime/interpreter/errors.ts";
import { formatLog } from "../runtime/runner/log-output.ts";
import type { LocalEvent } from "../runtime/index.ts";
import { isSystemAction, SystemActions } from "../ir-schema/vocabulary.ts";

const MAX_ARGS_CHARS = 200;

/**
 * One stderr line per event of a local run: enough to follow it, short enough to
 * read. First attempts are implied by the dispatch line, so they print nothing.
 */
export function formatEvent(event: LocalEvent): string | null {
  switch (event.type) {
    case "dispatch":
      return `cairn: ${event.callId} ${dispatched(event.action, event.args)}`;
    case "attempt":
      if (event.attempt === 1) return null;
      return `cairn: ${event.callId} ${event.action} attempt ${event.attempt}`;
    case "retry":
      return `cairn: ${event.callId} ${event.action} failed (${errorClassName(event.error)}: ${event.error.message}); retrying in ${event.delay}ms`;
    case "resolve":
      return event.ok
        ? `cairn: ${event.callId} ${event.action} done`
        : `cairn: ${event.callId} ${event.action} failed after ${event.attempts} attempt(s) (${event.error ? errorClassName(event.error) : "Error"}: ${event.error?.message})`;
    case "sleep":
      return `cairn: sleeping until ${new Date(event.until).toISOString()}`;
    case "complete":
      return "cairn: workflow completed";
    case "fail":
      return `cairn: workflow failed (${errorClassName(event.error)}: ${event.error.message})`;
  }
}

/** What a dispatch does, in the words of the source: an action call, a child workflow, a receive, a send. */
function dispatched(action: string, args: unknown[]): string {
  const list = (xs: unknown) => truncate(JSON.stringify(xs).slice(1, -1));
  switch (action) {
    case SystemActions.child:
      return `child ${String(args[0])}(${list(args[1])})`;
    case SystemActions.receive:
      return `receive ${JSON.stringify(args[0])}${args[1] === null ? "" : ` (timeout ${String(args[1])}ms)`}`;
    case SystemActions.send:
      return `send ${JSON.stringify(args[1])} to ${String(args[0])}`;
    default:
      return `${action}(${list(args)})`;
  }
}

/** A system action (%child, %receive, %send) by the word the source uses. */
function shown(action: string): string {
  return isSystemAction(action) ? action.slice(1) : action;
}

function truncate(text: string): string {
  return text.length <= MAX_ARGS_CHARS ? text : text.slice(0, MAX_ARGS_CHARS - 1) + "…";
}

/** One stderr line per worker event worth seeing while a durable run progresses. */
export function formatWorkerEvent(event: WorkerEvent): string | null {
  switch (event.type) {
    case "claimed":
      // A receive's message or a child's end arriving: its "done" line says it.
      if (isSystemAction(event.action)) return null;
      return `cairn: ${event.callId} ${event.action}${event.attempt > 1 ? ` attempt ${event.attempt}` : ""}`;
    case "completed":
      return `cairn: ${event.callId} ${shown(event.action)} ${event.ok ? "done" : "failed"}`;
    case "retry":
      return `cairn: ${event.callId} ${event.action} failed (${errorClassName(event.error)}: ${event.error.message}); retrying in ${event.delayMs}ms`;
    case "lease-lost":
      return `cairn: ${event.callId} lease lost; another worker owns it now`;
    case "woke":
      return `cairn: woke ${event.count} sleeping instance(s)`;
    case "log":
      return formatLog(`${event.workflow} ${event.instanceId.slice(0, 8)} ${event.entry.callPosition}`, event.entry).trimEnd();
    case "scheduled":
      return `cairn: schedule ${event.schedule}: tick ${new Date(event.tick).toISOString()} started ${event.instanceId}`;
    case "schedule-skipped":
      return `cairn: schedule ${event.schedule}: the tick ${new Date(event.tick).toISOString()} started nothing: ${event.error.message}`;
    case "error":
      return `cairn: ${event.where}: ${event.error.message} (retrying)`;
  }
}
