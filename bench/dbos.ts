/**
 * DBOS Transact, same run, same server, same workload (a 3-step workflow of no-op
 * steps), in its own database `dbos_bench`, recreated per measurement. DBOS runs
 * in bench/peers/dbos-process.ts (it keeps process-wide state), driven over
 * stdout/SIGUSR2:
 *   - in-process: workflows started with DBOS.startWorkflow in the process that
 *     runs them, DBOS's own fastest path (1 process);
 *   - queue: DBOSClient enqueues, N worker processes dequeue (DBOS queues poll;
 *     minPollingIntervalMs is set to QUEUE_POLL_MS rather than its 1 s default).
 */
import { join } from "node:path";
import pg from "pg";
import { BENCH_DIR, freshDatabase, spawnTs, waitFor, type BenchContext, type Child } from "./common.ts";
import { backendPids, countingCommits, cpuMeter } from "./usage.ts";
import type { LatencyChunk, LatencySample } from "./cairn-latency.ts";
import type { ThroughputResult } from "./types.ts";

const DB = "dbos_bench";
const SCRIPT = join(BENCH_DIR, "peers", "dbos-process.ts");
const PEERS = join(BENCH_DIR, "peers");
export const QUEUE_POLL_MS = 20;

function dbosChild(url: string, env: Record<string, string>): Child {
  return spawnTs(SCRIPT, { BENCH_DB_URL: url, ...env }, PEERS);
}

/** Succeeded workflows and the last status update (epoch ms), from DBOS's own table. */
async function workflowStats(db: pg.Client): Promise<{ done: number; lastAt: number }> {
  const { rows } = await db.query<{ done: number; last_at: string }>(
    `SELECT count(*) FILTER (WHERE status = 'SUCCESS')::int AS done, max(updated_at)::text AS last_at FROM dbos.workflow_status`,
  );
  return { done: rows[0]!.done, lastAt: Number(rows[0]!.last_at) };
}

async function withDb<T>(url: string, fn: (db: pg.Client) => Promise<T>): Promise<T> {
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  try {
    return await fn(db);
  } finally {
    await db.end();
  }
}

function result(mode: string, processes: number, instances: number, seconds: number, cpu: ThroughputResult["cpu"]): Omit<ThroughputResult, "dbTransactions"> {
  return {
    system: "dbos", workload: "3-action sequence", mode, processes, instances, actions: instances * 3, seconds,
    instancesPerSec: instances / seconds, actionsPerSec: (instances * 3) / seconds, cpu,
  };
}

/** In-process: one DBOS process starts and runs every workflow. */
export async function dbosInProcess(ctx: BenchContext, instances: number): Promise<ThroughputResult> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const { value, commits } = await countingCommits(ctx.serverUrl, DB, () => inProcess(ctx, url, instances));
  return { ...value, dbTransactions: commits };
}

async function inProcess(ctx: BenchContext, url: string, instances: number): Promise<Omit<ThroughputResult, "dbTransactions">> {
  const child = dbosChild(url, { BENCH_MODE: "inprocess", BENCH_INSTANCES: String(instances) });
  try {
    await child.ready;
    const cpu = cpuMeter(() => [child.pid], () => backendPids(ctx.serverUrl, DB), DB);
    child.child.kill("SIGUSR2");
    const msg = await child.message("throughput", 600_000);
    const use = await cpu.stop();
    const stats = await withDb(url, workflowStats);
    if (stats.done !== instances) throw new Error(`DBOS: ${stats.done} of ${instances} workflows succeeded`);
    const seconds = ((msg.t1 as number) - (msg.t0 as number)) / 1000;
    const r = result("in-process startWorkflow", 1, instances, seconds, use);
    ctx.log(`dbos in-process x${instances}: ${r.actionsPerSec.toFixed(0)} steps/s (${seconds.toFixed(2)} s)`);
    return r;
  } finally {
    await child.stop();
  }
}

/** Queue: a DBOSClient process enqueues, `workers` DBOS processes run the workflows. */
export async function dbosQueue(ctx: BenchContext, workers: number, instances: number): Promise<ThroughputResult> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const { value, commits } = await countingCommits(ctx.serverUrl, DB, () => queue(ctx, url, workers, instances));
  return { ...value, dbTransactions: commits };
}

async function queue(ctx: BenchContext, url: string, workers: number, instances: number): Promise<Omit<ThroughputResult, "dbTransactions">> {
  const children: Child[] = [];
  try {
    const workerEnv = { BENCH_MODE: "queue-worker", BENCH_CONCURRENCY: String(ctx.concurrency), BENCH_POLL_MS: String(QUEUE_POLL_MS) };
    for (let i = 0; i < workers; i++) {
      children.push(dbosChild(url, workerEnv));
      await children[i]!.ready; // one at a time: the first one creates DBOS's tables
    }
    const client = dbosChild(url, { BENCH_MODE: "queue-client", BENCH_INSTANCES: String(instances) });
    await client.ready;
    const cpu = cpuMeter(() => children.map((c) => c.pid), () => backendPids(ctx.serverUrl, DB), DB);
    client.child.kill("SIGUSR2");
    const msg = await client.message("enqueued", 600_000);
    const stats = await withDb(url, (db) =>
      waitFor(
        `${instances} DBOS workflows`,
        async () => {
          const st = await workflowStats(db);
          return st.done === instances ? st : undefined;
        },
        600_000,
        250,
      ),
    );
    const use = await cpu.stop();
    await client.exited;
    const seconds = (stats.lastAt - (msg.t0 as number)) / 1000;
    const r = result(`queue, ${workers} worker process${workers > 1 ? "es" : ""}`, workers, instances, seconds, use);
    ctx.log(`dbos queue x${instances}, ${workers} worker(s): ${r.actionsPerSec.toFixed(0)} steps/s (${seconds.toFixed(2)} s)`);
    return r;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
  }
}

/** One workflow at a time in one DBOS process: startWorkflow + getResult. */
export async function dbosLatency(ctx: BenchContext, samples: number, warmup: number): Promise<LatencyChunk> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const { value, commits } = await countingCommits(ctx.serverUrl, DB, async () => {
    const child = dbosChild(url, { BENCH_MODE: "latency", BENCH_INSTANCES: String(samples), BENCH_WARMUP: String(warmup) });
    try {
      await child.ready;
      child.child.kill("SIGUSR2");
      return (await child.message("latency", 600_000)).samples as LatencySample[];
    } finally {
      await child.stop();
    }
  });
  return { samples: value, instances: samples + warmup, commits };
}
