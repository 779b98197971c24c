/**
 * graphile-worker, same run, same server, same workload: a chain of 3 jobs, each
 * job enqueueing the next, in its own database `graphile_bench` (recreated per
 * measurement). Runners live in bench/peers/graphile-process.ts; this process adds
 * the first jobs with graphile-worker's own SQL API (`graphile_worker.add_job`, 500
 * per transaction, like Cairn's startMany batches) and learns that a chain ended
 * from the runner's stdout, since graphile-worker has no result API. The end of a
 * chain is taken when its third job ran, before that job's completion commits, which
 * favours graphile-worker slightly.
 */
import { join } from "node:path";
import pg from "pg";
import { BENCH_DIR, freshDatabase, now, sleep, spawnTs, withTimeout, type BenchContext, type Child } from "./common.ts";
import { backendPids, countingCommits, cpuMeter } from "./usage.ts";
import type { LatencyChunk, LatencySample } from "./cairn-latency.ts";
import type { ThroughputResult } from "./types.ts";

const DB = "graphile_bench";
const SCRIPT = join(BENCH_DIR, "peers", "graphile-process.ts");

interface Done {
  n: number;
  stamps: number[];
  at: number;
}

interface GraphileRig {
  db: pg.Client;
  runners: Child[];
  /** Every chain end reported so far. */
  done: Done[];
  /** Resolves when `count` chains in all have ended. */
  allDone(count: number): Promise<void>;
  /** Resolves with chain `n`'s end. */
  chainDone(n: number): Promise<Done>;
  addChains(from: number, count: number): Promise<void>;
  close(): Promise<void>;
}

async function graphileRig(ctx: BenchContext, url: string, processes: number): Promise<GraphileRig> {
  const runners: Child[] = [];
  const done: Done[] = [];
  const byChain = new Map<number, (d: Done) => void>();
  let total: { count: number; resolve: () => void } | null = null;
  for (let i = 0; i < processes; i++) {
    const r = spawnTs(SCRIPT, { BENCH_DB_URL: url, BENCH_CONCURRENCY: String(ctx.concurrency) }, join(BENCH_DIR, "peers"));
    r.onMessage((m) => {
      if (m.type !== "done") return;
      const d = m as unknown as Done;
      done.push(d);
      byChain.get(d.n)?.(d);
      byChain.delete(d.n);
      if (total && done.length >= total.count) total.resolve();
    });
    runners.push(r);
    await r.ready; // one at a time: the first one installs graphile-worker's schema
  }
  await sleep(300);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  return {
    db,
    runners,
    done,
    allDone: (count) => new Promise<void>((resolve) => (done.length >= count ? resolve() : (total = { count, resolve }))),
    chainDone: (n) => new Promise<Done>((resolve) => byChain.set(n, resolve)),
    async addChains(from, count) {
      await db.query(
        `SELECT graphile_worker.add_job('step1', json_build_object('n', g, 'stamps', json_build_array()))
           FROM generate_series($1::int, $2::int) g`,
        [from, from + count - 1],
      );
    },
    async close() {
      await Promise.all(runners.map((r) => r.stop()));
      await db.end();
    },
  };
}

export async function graphileThroughput(ctx: BenchContext, processes: number, instances: number): Promise<ThroughputResult> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const { value, commits } = await countingCommits(ctx.serverUrl, DB, () => throughput(ctx, url, processes, instances));
  return { ...value, dbTransactions: commits };
}

async function throughput(ctx: BenchContext, url: string, processes: number, instances: number): Promise<Omit<ThroughputResult, "dbTransactions">> {
  const rig = await graphileRig(ctx, url, processes);
  try {
    const cpu = cpuMeter(() => rig.runners.map((r) => r.pid), () => backendPids(ctx.serverUrl, DB), DB);
    const all = rig.allDone(instances);
    const t0 = now();
    for (let i = 0; i < instances; i += 500) await rig.addChains(i, Math.min(500, instances - i));
    await withTimeout(all, 600_000, `${instances} graphile-worker chains`);
    const use = await cpu.stop();
    const seconds = (Math.max(...rig.done.map((d) => d.at)) - t0) / 1000;
    const r: Omit<ThroughputResult, "dbTransactions"> = {
      system: "graphile", workload: "3-action sequence", mode: `${processes} worker process${processes > 1 ? "es" : ""}`,
      processes, instances, actions: instances * 3, seconds, instancesPerSec: instances / seconds,
      actionsPerSec: (instances * 3) / seconds, cpu: use,
    };
    ctx.log(`graphile x${instances}, ${processes} worker(s): ${r.actionsPerSec.toFixed(0)} jobs/s (${seconds.toFixed(2)} s)`);
    return r;
  } finally {
    await rig.close();
  }
}

/** One chain at a time with one runner: add_job() to the third job reporting. */
export async function graphileLatency(ctx: BenchContext, samples: number, warmup: number): Promise<LatencyChunk> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const { value, commits } = await countingCommits(ctx.serverUrl, DB, async () => {
    const rig = await graphileRig(ctx, url, 1);
    try {
      const out: LatencySample[] = [];
      for (let i = 0; i < warmup + samples; i++) {
        const ended = rig.chainDone(i);
        const t0 = now();
        await rig.addChains(i, 1);
        const d = await withTimeout(ended, 30_000, `graphile-worker chain ${i}`);
        const t3 = now();
        if (i >= warmup) out.push({ t0, stamps: d.stamps, t3 });
        await sleep(5);
      }
      return out;
    } finally {
      await rig.close();
    }
  });
  return { samples: value, instances: samples + warmup, commits };
}
