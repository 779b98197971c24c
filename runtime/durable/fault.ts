/**
 * The one place that decides whether a failed database operation may succeed if it
 * is simply tried again. Only the connection (or the server's ability to serve it)
 * failing qualifies, plus the two conflicts Postgres itself asks callers to retry.
 * Everything else — bad data, a broken definition, an interpreter invariant — fails
 * the same way every time, so the loops that write batches (completions, wake-ups)
 * retry those item by item and fail the one instance that cannot be written instead
 * of retrying the batch forever (see docs/architecture.md, "Errors").
 */

import { errorFromThrown, type ErrorValue } from "../interpreter/errors.ts";
import { PayloadError } from "../payload.ts";

/** SQLSTATE classes and codes that say nothing about the statement itself. */
const TRANSIENT_CLASSES = ["08"]; // connection exception
const TRANSIENT_CODES = new Set([
  "40001", // serialization_failure
  "40P01", // deadlock_detected
  "53300", // too_many_connections
  "57P01", // admin_shutdown
  "57P02", // crash_shutdown
  "57P03", // cannot_connect_now
  "57014", // query_canceled (statement_timeout, pg_cancel_backend)
]);
/** Node socket errors and the two drivers' own connection errors. */
const TRANSIENT_ERRNO = new Set([
  "ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN", "ECONNABORTED",
  "CONNECTION_CLOSED", "CONNECTION_ENDED", "CONNECTION_DESTROYED", "CONNECT_TIMEOUT",
]);
const TRANSIENT_MESSAGES = [
  /connection terminated/i,
  /client has encountered a connection error/i,
  /cannot use a pool after calling end/i,
  /timeout exceeded when trying to connect/i,
  /connection (is )?closed/i,
  /the database system is (starting up|shutting down|in recovery mode)/i,
];

/** Whether `err` may go away by itself: retry the whole operation later. */
export function isTransient(err: unknown): boolean {
  if (typeof err !== "object" || err === null) return false;
  const e = err as { code?: unknown; errno?: unknown; message?: unknown; cause?: unknown };
  const code = typeof e.code === "string" ? e.code : undefined;
  if (code !== undefined) {
    if (TRANSIENT_CODES.has(code) || TRANSIENT_ERRNO.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return TRANSIENT_CLASSES.includes(code.slice(0, 2));
  }
  const message = typeof e.message === "string" ? e.message : "";
  if (TRANSIENT_MESSAGES.some((re) => re.test(message))) return true;
  // AggregateError (a refused connection to every address) and wrapped causes.
  const inner = (err as { errors?: unknown }).errors;
  if (Array.isArray(inner) && inner.length > 0) return inner.every(isTransient);
  return e.cause !== undefined && e.cause !== err ? isTransient(e.cause) : false;
}

/**
 * The error an instance fails with when the engine cannot apply a step to it (its
 * definition is broken, its data cannot be stored): the original error's own
 * name, so that it can be told apart (PayloadError, InterpreterError, ...), and
 * what was being done.
 */
export function engineError(err: unknown, doing: string): ErrorValue {
  const e = errorFromThrown(err);
  // A payload error names its place already ("arguments of action 'x' (call 'c1') ...").
  return err instanceof PayloadError ? e : { ...e, message: `${doing}: ${e.message}` };
}

/** A one-line description of an error for logs and history, whatever was thrown. */
export function describeError(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    return String(err);
  } catch {
    return "an unprintable value";
  }
}
