/**
 * Traces and metrics through @opentelemetry/api, with the SDK registered as an
 * application registers it: one trace from the code that called start(), through
 * a worker killed with SIGKILL mid-action and the worker that took over, with the
 * spans and parentage the contract names; and the counts and histograms.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { context, metrics, SpanStatusCode, trace } from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { InMemorySpanExporter, SimpleSpanProcessor, TracerProvider } from "@opentelemetry/sdk-trace";
import { MeterProvider, MetricReader, type MetricData } from "@opentelemetry/sdk-metrics";
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Artifact } from "../ir-schema/index.ts";
import { compileFile } from "./helpers/compiled.ts";
import { databaseUrl } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { spanRecord, type SpanRecord } from "./helpers/otel-spans.ts";
import { spawnWorker } from "./helpers/processes.ts";

const MODULE = fileURLToPath(new URL("./workloads/traced-workflow.ts", import.meta.url));

/** A reader the test collects from when it likes (the SDK's readers export on a timer). */
class TestReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

let env: DurableEnv;
let dir: string;
let workflows: Map<string, Artifact>;
const memory = new InMemorySpanExporter();
const reader = new TestReader();

beforeAll(async () => {
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new SimpleSpanProcessor({ exporter: memory })] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [reader] }));
  env = await durableEnv("pg", "otel");
  dir = mkdtempSync(join(tmpdir(), "cairn-otel-"));
  const result = compileFile(MODULE, readFileSync(MODULE, "utf8"));
  expect(result.diagnostics).toEqual([]);
  workflows = new Map(result.workflows.map((w) => [w.name, w]));
});

afterAll(async () => {
  await env?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  trace.disable();
  metrics.disable();
  context.disable();
});

const readSpans = (file: string): SpanRecord[] =>
  existsSync(file) ? readFileSync(file, "utf8").split("\n").filter(Boolean).map((l) => JSON.parse(l) as SpanRecord) : [];

async function until(check: () => boolean, ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out");
    await new Promise((r) => setTimeout(r, 20));
  }
}

test("one trace from the caller of start() through a kill -9 to the end, with the expected spans and parentage", async () => {
  memory.reset();
  const tracer = trace.getTracer("app");
  let handleId = "";
  let request: SpanRecord | undefined;
  await tracer.startActiveSpan("POST /signup", async (span) => {
    handleId = (await env.client.start(workflows.get("traced")!, { n: 1 })).id;
    span.end();
  });
  request = memory.getFinishedSpans().map(spanRecord).find((s) => s.name === "POST /signup")!;
  // The instance stores the start span's context.
  const start = memory.getFinishedSpans().map(spanRecord).find((s) => s.name === "cairn.start traced")!;
  const [row] = await env.db.query<{ trace: unknown }>(`SELECT trace FROM "${env.schema}".instances WHERE id = $1`, [handleId]);
  expect(row.trace).toEqual({ traceparent: `00-${start.traceId}-${start.spanId}-01` });

  const procEnv = {
    CAIRN_TEST_DB: databaseUrl(), CAIRN_TEST_SCHEMA: env.schema, CAIRN_TEST_MODULE: MODULE, CAIRN_TEST_LEASE_MS: "1000",
    CAIRN_TEST_HANG_DIR: dir,
  };
  const first = spawnWorker({ ...procEnv, CAIRN_TEST_TRACE_FILE: join(dir, "first.jsonl") });
  await first.ready;
  await until(() => existsSync(join(dir, "stepB-started")), 20_000);
  first.child.kill("SIGKILL");
  await first.exited;
  const second = spawnWorker({ ...procEnv, CAIRN_TEST_TRACE_FILE: join(dir, "second.jsonl") });
  try {
    await second.ready;
    expect(await env.client.result(handleId, { timeoutMs: 30_000 })).toBe("done 4");
  } finally {
    second.child.kill("SIGTERM");
    await second.exited;
  }

  const here = memory.getFinishedSpans().map(spanRecord);
  const killed = readSpans(join(dir, "first.jsonl"));
  const after = readSpans(join(dir, "second.jsonl"));
  const all = [...here, ...killed, ...after];
  // One trace, the caller's.
  expect(new Set(all.map((s) => s.traceId))).toEqual(new Set([request.traceId]));
  expect(start.parentSpanId).toBe(request.spanId);
  const brief = (spans: SpanRecord[]) =>
    spans
      .filter((s) => s.name.startsWith("cairn.") || s.name === "app.work")
      .map((s) => `${s.name}${s.attributes["cairn.attempt"] ? ` #${String(s.attributes["cairn.attempt"])}` : ""}${s.attributes["cairn.step.status"] ? ` (${String(s.attributes["cairn.step.status"])})` : ""}`);
  // The caller's process: the start and the first segment (run to the first action).
  expect(brief(here)).toEqual(["cairn.step traced (running)", "cairn.start traced"]);
  // The killed worker: stepA (with the application's span inside it) and the step it
  // led to; stepB's first attempt never ended, so it has no span.
  expect(brief(killed)).toEqual(["app.work", "cairn.action stepA #1", "cairn.step traced (running)"]);
  // The worker that took over: stepB's second attempt, then stepC, and the steps.
  expect(brief(after)).toEqual([
    "cairn.action stepB #2", "cairn.step traced (running)", "cairn.action stepC #1", "cairn.step traced (completed)",
  ]);
  // Parentage: every step and attempt is a child of the start; the application's span, of its attempt.
  for (const s of all.filter((x) => x.name.startsWith("cairn.step") || x.name.startsWith("cairn.action"))) {
    expect(s.parentSpanId, s.name).toBe(start.spanId);
    expect(s.attributes["cairn.instance.id"]).toBe(handleId);
  }
  const stepA = killed.find((s) => s.name === "cairn.action stepA")!;
  expect(killed.find((s) => s.name === "app.work")!.parentSpanId).toBe(stepA.spanId);
  expect(stepA.attributes).toMatchObject({ "cairn.workflow": "traced", "cairn.action": "stepA", "cairn.call.id": "c1", "cairn.outcome": "ok" });
  expect(new Set(killed.map((s) => s.pid))).toEqual(new Set([first.child.pid]));
});

function metric(all: MetricData[], name: string): MetricData {
  const m = all.find((x) => x.descriptor.name === name);
  if (!m) throw new Error(`no metric ${name}; have ${all.map((x) => x.descriptor.name).join(", ")}`);
  return m;
}

/** Each data point as "attr=value,... -> value" (a histogram's value: its count). */
function points(m: MetricData): string[] {
  return m.dataPoints
    .map((p) => {
      const attrs = Object.entries(p.attributes).sort(([a], [b]) => a.localeCompare(b)).map(([k, v]) => `${k}=${String(v)}`).join(",");
      const v = p.value as number | { count: number };
      return `${attrs} -> ${typeof v === "number" ? v : v.count}`;
    })
    .sort();
}

test("counts steps, attempts and failures, and times attempts and queue delay; a failed attempt's span says so", async () => {
  memory.reset();
  await reader.collect(); // the first test's figures are the baseline: cumulative, so only what follows is compared
  const before = (await reader.collect()).resourceMetrics.scopeMetrics.flatMap((s) => s.metrics);
  await env.startWorker({ actions: await import(MODULE) });
  try {
    const handle = await env.client.start(workflows.get("retried")!, { n: 7 });
    expect(await handle.result()).toBe("done 7");
  } finally {
    await env.stopWorkers();
  }
  const after = (await reader.collect()).resourceMetrics.scopeMetrics.filter((s) => s.scope.name === "cairnjs").flatMap((s) => s.metrics);
  const delta = (name: string) => {
    const base = new Map(before.filter((m) => m.descriptor.name === name).flatMap((m) => points(m)).map((p) => p.split(" -> ") as [string, string]));
    return points(metric(after, name))
      .map((p) => p.split(" -> ") as [string, string])
      .map(([k, v]) => [k, Number(v) - Number(base.get(k) ?? 0)] as const)
      .filter(([, v]) => v !== 0)
      .map(([k, v]) => `${k} -> ${v}`);
  };
  expect(delta("cairn.steps")).toEqual([
    "cairn.step.status=completed,cairn.workflow=retried -> 1",
    "cairn.step.status=running,cairn.workflow=retried -> 2",
  ]);
  expect(delta("cairn.action.attempts")).toEqual([
    "cairn.action=flaky,cairn.outcome=error -> 1",
    "cairn.action=flaky,cairn.outcome=ok -> 1",
    "cairn.action=stepC,cairn.outcome=ok -> 1",
  ]);
  expect(delta("cairn.action.failures")).toEqual(["cairn.action=flaky,cairn.retrying=true -> 1"]);
  expect(delta("cairn.action.duration")).toEqual([
    "cairn.action=flaky,cairn.outcome=error -> 1",
    "cairn.action=flaky,cairn.outcome=ok -> 1",
    "cairn.action=stepC,cairn.outcome=ok -> 1",
  ]);
  expect(delta("cairn.queue.delay")).toEqual(["cairn.action=flaky -> 2", "cairn.action=stepC -> 1"]);
  expect(metric(after, "cairn.action.duration").descriptor.unit).toBe("ms");

  const failed = memory.getFinishedSpans().find((s) => s.name === "cairn.action flaky" && s.attributes["cairn.attempt"] === 1)!;
  expect(failed.status).toEqual({ code: SpanStatusCode.ERROR, message: "TypeError: first attempt fails" });
  expect(failed.attributes["cairn.outcome"]).toBe("retrying");
  expect(failed.events.map((e) => [e.name, e.attributes])).toEqual([
    ["exception", { "exception.type": "TypeError", "exception.message": "first attempt fails" }],
  ]);
});
