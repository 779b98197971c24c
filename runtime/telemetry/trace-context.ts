/**
 * The trace context an instance carries: the span context of the code that started
 * it, stored with the instance as a W3C `traceparent` (and `tracestate`) so that a
 * worker in another process, after any number of crashes and deploys, puts every
 * span of the instance in that trace. Written from the span context itself rather
 * than through the application's propagator: a propagator may be absent (the
 * tracer provider alone is enough to trace) or speak another format (B3); the
 * stored form is Cairn's own, the span context is what carries over.
 */
import { createTraceState, isSpanContextValid, ROOT_CONTEXT, trace, type Context, type SpanContext } from "@opentelemetry/api";

/** As stored in `instances.trace`. */
export interface TraceCarrier {
  traceparent: string;
  tracestate?: string;
}

const TRACEPARENT = /^00-([0-9a-f]{32})-([0-9a-f]{16})-([0-9a-f]{2})$/;

/** The carrier of `ctx`'s span, or null when it has none (nothing traces, or no span is active). */
export function carrierOf(ctx: Context): TraceCarrier | null {
  const sc = trace.getSpanContext(ctx);
  if (sc === undefined || !isSpanContextValid(sc)) return null;
  const carrier: TraceCarrier = { traceparent: `00-${sc.traceId}-${sc.spanId}-${(sc.traceFlags & 0xff).toString(16).padStart(2, "0")}` };
  const state = sc.traceState?.serialize();
  if (state) carrier.tracestate = state;
  return carrier;
}

/**
 * The context whose parent is the stored span (a remote one: it ended in another
 * process); the root context for a carrier that is missing or malformed, since
 * the column is read back from the database and a bad value must only cost the trace.
 */
export function contextOf(carrier: unknown): Context {
  if (typeof carrier !== "object" || carrier === null) return ROOT_CONTEXT;
  const { traceparent, tracestate } = carrier as Partial<Record<keyof TraceCarrier, unknown>>;
  const m = typeof traceparent === "string" ? TRACEPARENT.exec(traceparent) : null;
  if (!m) return ROOT_CONTEXT;
  const sc: SpanContext = { traceId: m[1]!, spanId: m[2]!, traceFlags: parseInt(m[3]!, 16), isRemote: true };
  if (typeof tracestate === "string" && tracestate !== "") sc.traceState = createTraceState(tracestate);
  return isSpanContextValid(sc) ? trace.setSpanContext(ROOT_CONTEXT, sc) : ROOT_CONTEXT;
}
