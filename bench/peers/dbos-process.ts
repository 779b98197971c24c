/**
 * DBOS Transact in a process of its own: the same 3-step workflow as Cairn's
 * (no-op steps that return the time they ran), durable in the `dbos_bench` database.
 * BENCH_MODE:
 *   - inprocess: start BENCH_INSTANCES workflows with DBOS.startWorkflow in this
 *     process (DBOS's own way to run workflows: no queue, no polling) and wait for
 *     all results; reports { type: "throughput", t0, t1 }.
 *   - latency: one workflow at a time, start + getResult; reports the samples.
 *   - queue-worker: serve the queue "bench" (workerConcurrency BENCH_CONCURRENCY)
 *     until SIGTERM.
 *   - queue-client: enqueue BENCH_INSTANCES workflows with DBOSClient; reports
 *     { type: "enqueued", t0, t1 } and exits.
 * Prints "ready" after launch, then waits for SIGUSR2 before measuring.
 */
import { env, go, loadDbos, now, report } from "./api.ts";

const { DBOS, DBOSClient } = await loadDbos();
const mode = env("BENCH_MODE");
const url = env("BENCH_DB_URL");
const instances = Number(process.env.BENCH_INSTANCES ?? 0);
const QUEUE = "bench";

async function sequence3(_n: number): Promise<number[]> {
  const a = await DBOS.runStep(async () => now(), { name: "seqStep1" });
  const b = await DBOS.runStep(async () => now(), { name: "seqStep2" });
  const c = await DBOS.runStep(async () => now(), { name: "seqStep3" });
  return [a, b, c];
}
const workflow = DBOS.registerWorkflow(sequence3, { name: "sequence3" });

if (mode === "queue-client") {
  const client = await DBOSClient.create({ systemDatabaseUrl: url });
  const goSignal = go(); // listening before "ready": the signal may follow at once
  process.stdout.write("ready\n");
  await goSignal;
  const t0 = now();
  const handles = [];
  for (let i = 0; i < instances; i++) handles.push(client.enqueue({ queueName: QUEUE, workflowName: "sequence3" }, i));
  await Promise.all(handles);
  // Not getResult(): each handle would poll the database once a second. The
  // orchestrator watches workflow_status instead, as it watches Cairn's instances.
  report({ type: "enqueued", t0, t1: now() });
  await client.destroy();
  process.exit(0);
}

DBOS.setConfig({ name: "cairn-bench", systemDatabaseUrl: url, logLevel: "error" });
await DBOS.launch();
if (mode === "queue-worker") {
  await DBOS.registerQueue(QUEUE, { workerConcurrency: Number(env("BENCH_CONCURRENCY")), minPollingIntervalMs: Number(env("BENCH_POLL_MS")) });
}
const started = mode === "queue-worker" ? null : go(); // listening before "ready": the signal may follow at once
process.stdout.write("ready\n");
// Stay connected until told to stop (the orchestrator reads our backends' CPU first).
process.once("SIGTERM", () => void DBOS.shutdown().then(() => process.exit(0)));

if (started) {
  await started;
  if (mode === "inprocess") {
    const t0 = now();
    const handles = await Promise.all(Array.from({ length: instances }, (_, i) => DBOS.startWorkflow(workflow)(i)));
    await Promise.all(handles.map((h) => h.getResult()));
    report({ type: "throughput", t0, t1: now() });
  } else if (mode === "latency") {
    const samples = [];
    const warmup = Number(env("BENCH_WARMUP"));
    for (let i = 0; i < warmup + instances; i++) {
      const t0 = now();
      const handle = await DBOS.startWorkflow(workflow)(i);
      const stamps = await handle.getResult();
      const t3 = now();
      if (i >= warmup) samples.push({ t0, stamps, t3 });
      await new Promise((r) => setTimeout(r, 5));
    }
    report({ type: "latency", samples });
  } else {
    throw new Error(`unknown BENCH_MODE ${mode}`);
  }
}
