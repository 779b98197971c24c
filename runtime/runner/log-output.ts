import { formatWithOptions } from "node:util";
import type { LogEntry } from "../interpreter/state.ts";
import { isErrorValue } from "../interpreter/errors.ts";

/**
 * A workflow's `console.log(...)` as console would print it (format specifiers in
 * the first argument, objects inspected), every line prefixed with the workflow's
 * name so it stands apart from the runner's own output.
 */
export function formatLog(workflow: string, entry: LogEntry): string {
  return logText(entry).split("\n").map((line) => `[${workflow}] ${line}`).join("\n") + "\n";
}

/** The text of a workflow's `console.*` call alone, as console would print its arguments. */
export function logText(entry: LogEntry): string {
  return formatWithOptions({ colors: false }, ...entry.args.map(shown));
}

/** Where runLocal sends a workflow's logs: stderr, for every level (stdout carries results). */
export function writeLog(workflow: string, entry: LogEntry): void {
  process.stderr.write(formatLog(workflow, entry));
}

/**
 * An error value (a plain object in the state) is shown as console shows an error,
 * `Name: message`, less the stack it no longer has. As the first argument it is
 * the format string, so its `%` are escaped.
 */
function shown(value: unknown, index: number): unknown {
  if (!isErrorValue(value)) return value;
  const text = value.message ? `${value.name}: ${value.message}` : value.name;
  return index === 0 ? text.replaceAll("%", "%%") : text;
}
