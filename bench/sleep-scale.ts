/**
 * Sleep and scale.
 *  - Sleep: N instances asleep at once must cost the worker no memory (a sleeping
 *    instance is a row with a wake-up time). Worker RSS is read before they start,
 *    while all of them sleep, and after all woke and finished; an action that ran
 *    before its instance's wake-up time counts as early.
 *  - Scale: the 3-action workflow at 200, 2,000 and 20,000 instances with one
 *    worker: actions/s and CPU per action (worker, Postgres) show how cost grows
 *    with the amount of work queued.
 */
import { now, sleep, waitFor, type BenchContext } from "./common.ts";
import { rssMb } from "./usage.ts";
import { cairnRig, startBatches, type Workload } from "./cairn.ts";
import { cairnThroughput } from "./cairn-throughput.ts";
import type { ScaleResult, SleepResult } from "./types.ts";

export async function sleepers(ctx: BenchContext, url: string, workload: Workload, instances: number, sleepMs: number): Promise<SleepResult> {
  const rig = await cairnRig(url, "sleepers", workload, 1, ctx.concurrency);
  const s = `"${rig.schema}"`;
  try {
    const pid = rig.workers[0]!.pid;
    await sleep(1500); // let the worker settle before the baseline
    const rssBeforeMb = rssMb(pid);
    const t0 = now();
    await startBatches(rig, workload, instances, (n) => ({ n, ms: sleepMs }), 1000);
    const [{ sleeping }] = await rig.client.db.query<{ sleeping: number }>(
      `SELECT count(*)::int AS sleeping FROM ${s}.instances WHERE status = 'sleeping'`,
    );
    if (sleeping !== instances) throw new Error(`only ${sleeping} of ${instances} instances are asleep; starting took too long`);
    await sleep(3000); // several poll cycles with everything asleep
    if (now() > t0 + sleepMs - 500) throw new Error(`starting ${instances} sleepers took longer than their ${sleepMs} ms sleep`);
    const rssSleepingMb = rssMb(pid);
    ctx.log(`cairn sleep: ${instances} asleep, worker RSS ${rssBeforeMb.toFixed(1)} -> ${rssSleepingMb.toFixed(1)} MB`);
    await waitFor(
      `${instances} sleepers to finish`,
      async () => {
        const c = await rig.counts();
        if (c.failed > 0) throw new Error(`${c.failed} sleepers failed`);
        return c.completed === instances ? true : undefined;
      },
      sleepMs + 60_000 + instances * 20,
      250,
    );
    const rssAfterMb = rssMb(pid);
    const [row] = await rig.client.db.query<{ first_wake: number; last_done: number; early: number; completed: number }>(
      `SELECT (extract(epoch from min(i.created_at)) * 1000)::float8 + $1::float8 AS first_wake,
              (extract(epoch from max(i.finished_at)) * 1000)::float8 AS last_done,
              count(*) FILTER (WHERE t.created_at < i.created_at + $1::float8 * interval '1 millisecond')::int AS early,
              count(*) FILTER (WHERE i.status = 'completed')::int AS completed
         FROM ${s}.instances i JOIN ${s}.tasks t ON t.instance_id = i.id`,
      [sleepMs],
    );
    const r: SleepResult = {
      instances, sleepMs, rssBeforeMb, rssSleepingMb, rssAfterMb,
      wakeSeconds: (row!.last_done - row!.first_wake) / 1000, completed: row!.completed, early: row!.early,
    };
    ctx.log(`cairn sleep: all woke in ${r.wakeSeconds.toFixed(1)} s, ${r.early} early, worker RSS after ${rssAfterMb.toFixed(1)} MB`);
    return r;
  } finally {
    await rig.close();
  }
}

export async function scale(ctx: BenchContext, url: string, workload: Workload, counts: number[]): Promise<ScaleResult[]> {
  const out: ScaleResult[] = [];
  for (const instances of counts) {
    const r = await cairnThroughput(ctx, url, workload, { workers: 1, instances, schema: `scale_${instances}` });
    out.push({
      instances,
      seconds: r.seconds,
      actionsPerSec: r.actionsPerSec,
      workerCpuPerAction: r.cpu.processMs / r.actions,
      postgresCpuPerAction: r.cpu.postgresMs / r.actions,
    });
  }
  return out;
}
