/**
 * Cairn throughput: `instances` instances of a workload started through the client
 * (startMany, 500 per transaction) while `workers` worker processes run them. The
 * clock runs from the first start to the last instance's `finished_at`, so it covers
 * starting, every action and every transition.
 */
import { dbNameOf, now, waitFor, type BenchContext } from "./common.ts";
import { backendPids, countingCommits, cpuMeter } from "./usage.ts";
import { cairnRig, lastFinishedAt, startBatches, type Workload } from "./cairn.ts";
import type { ThroughputResult } from "./types.ts";
import type { Db } from "../runtime/store/db.ts";

/** CLOCK_MONOTONIC in µs, the clock V8's CPU profiles use, shared by every process of the machine. */
const monotonicUs = (): number => Number(process.hrtime.bigint() / 1000n);

const LABELS: Record<string, string> = { sequence: "3-action sequence", fanout: "10-way fan-out", sleepy: "sleep + 1 action" };

export interface ThroughputOptions {
  workers: number;
  instances: number;
  schema?: string;
  /** Rows put in the fresh schema before the run (finished instances): the run counts only its own. */
  prefill?: Parameters<typeof cairnRig>[6];
}

export async function cairnThroughput(
  ctx: BenchContext,
  url: string,
  workload: Workload,
  opts: ThroughputOptions,
): Promise<ThroughputResult> {
  const { value, commits } = await countingCommits(ctx.serverUrl, dbNameOf(url), () => measure(ctx, url, workload, opts));
  const result = { ...value, dbTransactions: commits };
  ctx.log(
    `cairn ${workload.name} x${opts.instances}, ${opts.workers} worker(s): ${result.actionsPerSec.toFixed(0)} actions/s ` +
      `(${result.seconds.toFixed(2)} s, ${(commits / result.actions).toFixed(2)} transactions/action, ` +
      `${((result.lockWaitShare ?? 0) * 100).toFixed(0)}% of busy backends on locks, machine ${(result.cpu.machineBusy * 100).toFixed(0)}% busy)`,
  );
  return result;
}

async function measure(
  ctx: BenchContext,
  url: string,
  workload: Workload,
  opts: ThroughputOptions,
): Promise<Omit<ThroughputResult, "dbTransactions">> {
  const schema = opts.schema ?? `tp_${workload.name}_${opts.workers}w_${opts.instances}`;
  const rig = await cairnRig(url, schema, workload, opts.workers, ctx.concurrency, ctx.profileDir, opts.prefill);
  try {
    const before = opts.prefill ? await finishedBefore(rig.client.db, schema) : { done: 0 };
    const cpu = cpuMeter(() => rig.workers.map((w) => w.pid), () => backendPids(ctx.serverUrl, dbNameOf(url)), dbNameOf(url));
    const w0 = monotonicUs();
    const t0 = now();
    await startBatches(rig, workload, opts.instances, (n) => ({ n }));
    const timeoutMs = 60_000 + opts.instances * workload.actionsPerInstance * 20;
    const sampled = { active: 0, lockWaits: 0 };
    // Polled slowly: the end time comes from finished_at, and polls are transactions too.
    await waitFor(
      `${opts.instances} ${workload.name} instances`,
      async () => {
        // A prefilled schema: count this run's instances only (created from t0 on; the prefill's are a day old).
        const c = await rig.counts(opts.prefill ? t0 - 1000 : undefined);
        sampled.active += c.active;
        sampled.lockWaits += c.lockWaits;
        if (c.failed > 0) throw new Error(`${c.failed} instances failed in ${schema}`);
        return c.completed === opts.instances ? true : undefined;
      },
      timeoutMs,
      250,
    );
    const use = await cpu.stop();
    const w1 = monotonicUs();
    const seconds = ((await lastFinishedAt(rig)) - t0) / 1000;
    const [{ done }] = await rig.client.db.query<{ done: number }>(
      `SELECT count(*)::int AS done FROM "${schema}".tasks WHERE status = 'done'`,
    );
    const actions = opts.instances * workload.actionsPerInstance;
    if (done - before.done !== actions) throw new Error(`expected ${actions} finished tasks in ${schema}, found ${done}`);
    return {
      system: "cairn",
      workload: LABELS[workload.name]!,
      mode: `${opts.workers} worker process${opts.workers > 1 ? "es" : ""}`,
      processes: opts.workers,
      instances: opts.instances,
      actions,
      seconds,
      instancesPerSec: opts.instances / seconds,
      actionsPerSec: actions / seconds,
      cpu: use,
      lockWaitShare: sampled.active > 0 ? sampled.lockWaits / sampled.active : 0,
      windowUs: [w0, w1],
    };
  } finally {
    await rig.close();
  }
}

/** Done tasks already in the schema (a prefill's), read once before the run. */
async function finishedBefore(db: Db, schema: string): Promise<{ done: number }> {
  const [row] = await db.query<{ done: number }>(`SELECT count(*)::int AS done FROM "${schema}".tasks WHERE status = 'done'`);
  return row!;
}
