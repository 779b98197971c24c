/**
 * Traces and metrics through `@opentelemetry/api` alone: the application installs
 * and registers an SDK (or nothing, and every call here is the API's no-op). One
 * object per engine, no module state.
 *
 * Spans (all in the trace of the code that called `start()`, see trace-context.ts):
 *   - `cairn.start <workflow>`: the start call, in the caller's process; its
 *     context is what the instance stores, so everything below is its child;
 *   - `cairn.step <workflow>`: one segment of the instance's run (the program run
 *     from an event to its next suspension) and its write, emitted once the write
 *     has committed: a step redone after a conflict or lost in a crash never shows;
 *   - `cairn.action <action>`: one attempt of an action, wrapping the action's own
 *     code, so the spans it makes (HTTP, database) nest under it.
 * Metrics: cairn.steps, cairn.action.attempts, cairn.action.failures,
 * cairn.action.duration (ms), cairn.queue.delay (ms).
 */
import {
  context, metrics, SpanKind, SpanStatusCode, trace,
  type Attributes, type Context, type Counter, type Histogram, type MeterProvider, type Span, type Tracer,
} from "@opentelemetry/api";
import { carrierOf, contextOf, type TraceCarrier } from "./trace-context.ts";
import { otelRegistered } from "./registered.ts";

const SCOPE = "cairnjs";

/** One committed segment of an instance's run (see Telemetry.segments). */
export interface Segment {
  instanceId: string;
  workflow: string;
  /** The instance's stored trace context (null: not traced). */
  trace: unknown;
  /** When the segment began (epoch ms, sub-ms precision: see now()). */
  startedAt: number;
  /** The instance's status after it. */
  status: string;
  error?: { name: string; message: string };
}

/** An action attempt about to run: what its span and metrics are labelled with. */
export interface AttemptInfo {
  action: string;
  workflow: string | undefined;
  instanceId: string;
  callId: string;
  attempt: number;
  workerId: string;
  trace: unknown;
  /** How long the task waited ready in the queue, by the database's clock (0: claimed in the write that made it). */
  queuedMs: number;
}

/** How an attempt ended (the worker's AttemptOutcome, narrowed to what is reported). */
export type AttemptEnd = { ok: true } | { ok: false; error: { name: string; message: string }; retrying: boolean };

export interface AttemptSpan {
  /** The context to run the action in: its span is the active one. */
  readonly context: Context;
  end(outcome: AttemptEnd): void;
}

interface Instruments {
  provider: MeterProvider;
  steps: Counter;
  attempts: Counter;
  failures: Counter;
  duration: Histogram;
  queueDelay: Histogram;
}

const NO_START = { carrier: null, end(): void {} };
/** No context: the worker then runs the action without entering one (task-attempt.ts). */
const NO_ATTEMPT: AttemptSpan = { context: undefined as unknown as Context, end(): void {} };

/** Epoch milliseconds with sub-millisecond precision (spans are often shorter than 1 ms). */
export const now = (): number => performance.timeOrigin + performance.now();

export class Telemetry {
  private readonly tracer: Tracer = trace.getTracer(SCOPE);
  private instruments: Instruments | null = null;

  /**
   * A span for starting `count` instances of `workflow`, child of whatever span is
   * active where start() was called; `carrier` is what the instances store.
   */
  startSpan(workflow: string, count = 1): { carrier: TraceCarrier | null; end(ids: readonly string[], error?: unknown): void } {
    // Nothing registered: no SDK to record a span, no context manager to hold an active one.
    if (!otelRegistered()) return NO_START;
    const attributes: Attributes = { "cairn.workflow": workflow };
    if (count !== 1) attributes["cairn.instances"] = count;
    const span = this.tracer.startSpan(`cairn.start ${workflow}`, { kind: SpanKind.PRODUCER, attributes });
    return {
      // A non-recording span still has its parent's context: a start under an active
      // span joins that trace even when this process exports nothing itself.
      carrier: carrierOf(trace.setSpan(context.active(), span)),
      end(ids, error) {
        if (ids.length === 1) span.setAttribute("cairn.instance.id", ids[0]!);
        if (error !== undefined) fail(span, error instanceof Error ? error : { name: "Error", message: String(error) });
        span.end();
      },
    };
  }

  /** Spans and counts for segments whose write has committed. */
  segments(list: readonly Segment[]): void {
    if (list.length === 0 || !otelRegistered()) return;
    const { steps } = this.meter();
    const end = now();
    for (const s of list) {
      steps.add(1, { "cairn.workflow": s.workflow, "cairn.step.status": s.status });
      const span = this.tracer.startSpan(
        `cairn.step ${s.workflow}`,
        { startTime: s.startedAt, attributes: { "cairn.workflow": s.workflow, "cairn.instance.id": s.instanceId, "cairn.step.status": s.status } },
        contextOf(s.trace),
      );
      if (s.error) fail(span, s.error);
      span.end(end);
    }
  }

  /** Starts the span of one action attempt; `end` records it and its metrics. */
  attempt(a: AttemptInfo): AttemptSpan {
    if (!otelRegistered()) return NO_ATTEMPT;
    const m = this.meter();
    const labels: Attributes = { "cairn.action": a.action };
    m.queueDelay.record(Math.max(0, a.queuedMs), labels);
    const attributes: Attributes = {
      "cairn.action": a.action, "cairn.instance.id": a.instanceId, "cairn.call.id": a.callId,
      "cairn.attempt": a.attempt, "cairn.worker.id": a.workerId,
    };
    if (a.workflow !== undefined) attributes["cairn.workflow"] = a.workflow;
    const parent = contextOf(a.trace);
    const span = this.tracer.startSpan(`cairn.action ${a.action}`, { kind: SpanKind.CONSUMER, attributes }, parent);
    const began = performance.now();
    return {
      context: trace.setSpan(parent, span),
      end(outcome) {
        const outcomeName = outcome.ok ? "ok" : "error";
        m.attempts.add(1, { ...labels, "cairn.outcome": outcomeName });
        m.duration.record(performance.now() - began, { ...labels, "cairn.outcome": outcomeName });
        span.setAttribute("cairn.outcome", outcome.ok ? "ok" : outcome.retrying ? "retrying" : "failed");
        if (!outcome.ok) {
          m.failures.add(1, { ...labels, "cairn.retrying": outcome.retrying });
          fail(span, outcome.error);
        }
        span.end();
      },
    };
  }

  /**
   * The instruments of the meter provider registered now: looked up on each use
   * (one global read), so an SDK registered after this engine was made still gets
   * the figures, and with none they are the API's no-ops.
   */
  private meter(): Instruments {
    const provider = metrics.getMeterProvider();
    if (this.instruments?.provider === provider) return this.instruments;
    const meter = provider.getMeter(SCOPE);
    this.instruments = {
      provider,
      steps: meter.createCounter("cairn.steps", { description: "Segments of instance runs committed (a start, an outcome applied, a wake-up)", unit: "{step}" }),
      attempts: meter.createCounter("cairn.action.attempts", { description: "Action attempts run, by outcome", unit: "{attempt}" }),
      failures: meter.createCounter("cairn.action.failures", { description: "Action attempts that failed, and whether a retry follows", unit: "{attempt}" }),
      duration: meter.createHistogram("cairn.action.duration", { description: "How long an action attempt ran", unit: "ms" }),
      queueDelay: meter.createHistogram("cairn.queue.delay", { description: "How long a ready task waited before a worker took it", unit: "ms" }),
    };
    return this.instruments;
  }
}

function fail(span: Span, error: { name: string; message: string }): void {
  span.setStatus({ code: SpanStatusCode.ERROR, message: `${error.name}: ${error.message}` });
  span.addEvent("exception", { "exception.type": error.name, "exception.message": error.message });
}
