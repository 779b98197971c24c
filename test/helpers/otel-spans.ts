/**
 * What the OpenTelemetry tests compare: finished spans reduced to plain data, from
 * this process (an in-memory exporter) or from worker processes (one JSON line per
 * span, appended as each span ends, so a process killed with SIGKILL has written
 * every span it finished).
 */
import { appendFileSync } from "node:fs";
import { ExportResultCode, type ExportResult } from "@opentelemetry/core";
import type { ReadableSpan, SpanExporter } from "@opentelemetry/sdk-trace";

export interface SpanRecord {
  name: string;
  kind: number;
  traceId: string;
  spanId: string;
  parentSpanId: string | null;
  attributes: Record<string, unknown>;
  status: number;
  pid: number;
}

export function spanRecord(span: ReadableSpan): SpanRecord {
  const sc = span.spanContext();
  return {
    name: span.name, kind: span.kind, traceId: sc.traceId, spanId: sc.spanId, parentSpanId: span.parentSpanContext?.spanId ?? null,
    attributes: { ...span.attributes }, status: span.status.code, pid: process.pid,
  };
}

/** Appends each span to `file` synchronously, as it is exported (with a SimpleSpanProcessor: as it ends). */
export class FileSpanExporter implements SpanExporter {
  constructor(private readonly file: string) {}

  export(spans: ReadableSpan[], done: (result: ExportResult) => void): void {
    appendFileSync(this.file, spans.map((s) => `${JSON.stringify(spanRecord(s))}\n`).join(""));
    done({ code: ExportResultCode.SUCCESS });
  }

  async shutdown(): Promise<void> {}
}
