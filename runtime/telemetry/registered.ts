/**
 * Whether anything registered with @opentelemetry/api in this process (a tracer or
 * meter provider, a context manager, a propagator, a diagnostic logger): the API
 * keeps them in one global object, created at the first registration. Without it
 * every API call is a no-op, so the runtime skips its own work around them (a
 * span's attributes, contexts, instrument lookups): one property read instead,
 * which is what keeps the instrumentation free when no SDK is installed.
 * Imports nothing, so the CLI can ask before loading the API.
 */
const API_GLOBAL = Symbol.for("opentelemetry.js.api.1");

export function otelRegistered(): boolean {
  return (globalThis as Record<symbol, unknown>)[API_GLOBAL] !== undefined;
}
