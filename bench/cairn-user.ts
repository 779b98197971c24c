/**
 * Cairn on the path users take, in a fresh Node process: `connect()` with defaults,
 * a `Worker` with default options in the same process (unless BENCH_LOCAL_WORKER=0,
 * when worker processes serve it), and every workflow started by its own
 * `client.start()` and awaited through its own `handle.result()`.
 * BENCH_MODE:
 *   - throughput: BENCH_INSTANCES workflows at once; reports { type: "throughput", t0, t1 }.
 *   - latency: one workflow at a time (BENCH_WARMUP first); reports the samples.
 * Env: BENCH_DB_URL, BENCH_SCHEMA. Prints "ready", then waits for SIGUSR2.
 */
import { connect } from "../runtime/durable/client.ts";
import { Worker } from "../runtime/durable/worker.ts";
import { compileWorkload } from "./cairn.ts";
import { env, go, now, report } from "./peers/api.ts";
import * as actions from "./workloads/sequence.ts";

const workload = compileWorkload("sequence");
const instances = Number(env("BENCH_INSTANCES"));
const client = await connect({ url: env("BENCH_DB_URL"), schema: env("BENCH_SCHEMA") });
const worker = process.env.BENCH_LOCAL_WORKER === "0" ? null : new Worker(client.db, { actions, schema: env("BENCH_SCHEMA") });
await worker?.start();
// One workflow first, so that the definition is registered before the clock starts.
await (await client.start(workload.artifact, { n: -1 })).result();
const started = go();
process.stdout.write("ready\n");
await started;

if (env("BENCH_MODE") === "throughput") {
  const t0 = now();
  await Promise.all(Array.from({ length: instances }, async (_, n) => (await client.start(workload.artifact, { n })).result()));
  report({ type: "throughput", t0, t1: now() });
} else {
  const samples = [];
  const warmup = Number(env("BENCH_WARMUP"));
  for (let n = 0; n < warmup + instances; n++) {
    const t0 = now();
    const handle = await client.start(workload.artifact, { n });
    const stamps = (await handle.result()) as number[];
    const t3 = now();
    if (n >= warmup) samples.push({ t0, stamps, t3 });
    await new Promise((r) => setTimeout(r, 5)); // idle between instances: no pipelining
  }
  report({ type: "latency", samples });
}
await worker?.stop();
await client.close();
process.exit(0);
