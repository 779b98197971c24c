/**
 * One measurement of bench/otel.ts, in a fresh process: 3-step workflows started
 * with `client.start()` and awaited with `result()`, an in-process Worker with
 * default options, from the runtime at BENCH_RUNTIME (this tree's, or a baseline
 * tree's). BENCH_SDK=1 registers the OpenTelemetry SDK first (spans batched to an
 * exporter that drops them, metrics kept in memory), as an application would.
 * Reports { type: "throughput", stepsPerSec }.
 */
import { readFileSync } from "node:fs";
import { env, report } from "./peers/api.ts";

if (process.env.BENCH_SDK === "1") {
  const { context, metrics, trace } = await import("@opentelemetry/api");
  const { AsyncLocalStorageContextManager } = await import("@opentelemetry/context-async-hooks");
  const { BatchSpanProcessor, TracerProvider } = await import("@opentelemetry/sdk-trace");
  const { MeterProvider, MetricReader } = await import("@opentelemetry/sdk-metrics");
  class Drop {
    export(_spans: unknown[], done: (r: { code: number }) => void) {
      done({ code: 0 });
    }
    async shutdown() {}
  }
  class Held extends MetricReader {
    protected override async onForceFlush() {}
    protected override async onShutdown() {}
  }
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(new TracerProvider({ spanProcessors: [new BatchSpanProcessor({ exporter: new Drop() })] }));
  metrics.setGlobalMeterProvider(new MeterProvider({ readers: [new Held()] }));
}

type Runtime = typeof import("../runtime/index.ts");
const rt = (await import(env("BENCH_RUNTIME"))) as Runtime;
const stamp = async (x: number) => x + 1;
const actions = { seqStep1: rt.action("seqStep1", stamp), seqStep2: rt.action("seqStep2", stamp), seqStep3: rt.action("seqStep3", stamp) };
const artifact = JSON.parse(readFileSync(env("BENCH_ARTIFACT"), "utf8"));
const schema = env("BENCH_SCHEMA");
const client = await rt.connect({ url: env("BENCH_DB_URL"), schema });
const worker = new rt.Worker(client.db, { actions, schema });
await worker.start();
await (await client.start(artifact, { n: -1 })).result();
const n = Number(env("BENCH_INSTANCES"));
const t0 = performance.now();
await Promise.all(Array.from({ length: n }, async (_, i) => (await client.start(artifact, { n: i })).result()));
report({ type: "throughput", stepsPerSec: (3 * n) / ((performance.now() - t0) / 1000) });
await worker.stop();
await client.db.query(`DROP SCHEMA "${schema}" CASCADE`);
await client.close();
process.exit(0);
