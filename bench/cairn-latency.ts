/**
 * Cairn latency: one worker process, one instance at a time. The
 * 3-action workload's actions return the wall-clock time at which they ran
 * (`performance.timeOrigin + performance.now()`, same clock in every process of the
 * machine), so one instance gives: start() -> first action, action -> next action
 * (twice), last action -> result() returning, and start() -> result().
 */
import { dbNameOf, dist, now, sleep, type BenchContext } from "./common.ts";
import { countingCommits } from "./usage.ts";
import { cairnRig, type Workload } from "./cairn.ts";
import type { LatencyResult } from "./types.ts";

export interface LatencySample {
  t0: number;
  stamps: number[];
  t3: number;
}

/** Turns samples (start time, the three action stamps, result time) into the distributions. */
export function latencyFrom(
  system: LatencyResult["system"],
  mode: string,
  samples: LatencySample[],
  cost: { machineBusy: number; txPerInstance: number },
): LatencyResult {
  return {
    system,
    mode,
    ...cost,
    startToFirst: dist(samples.map((s) => s.stamps[0]! - s.t0)),
    actionToNext: dist(samples.flatMap((s) => s.stamps.slice(1).map((t, i) => t - s.stamps[i]!))),
    lastToResult: dist(samples.map((s) => s.t3 - s.stamps[s.stamps.length - 1]!)),
    total: dist(samples.map((s) => s.t3 - s.t0)),
  };
}

/** One chunk of latency samples from one system, and the transactions its database committed meanwhile. */
export interface LatencyChunk {
  samples: LatencySample[];
  /** Instances run, warm-up included. */
  instances: number;
  commits: number;
}

/** A chunk of single Cairn instances on a fresh schema with one worker process. */
export async function cairnLatency(ctx: BenchContext, url: string, workload: Workload, samples: number, warmup: number): Promise<LatencyChunk> {
  const { value, commits } = await countingCommits(ctx.serverUrl, dbNameOf(url), async () => {
    const rig = await cairnRig(url, "latency", workload, 1, ctx.concurrency);
    try {
      const out: LatencySample[] = [];
      for (let i = 0; i < warmup + samples; i++) {
        const t0 = now();
        const handle = await rig.client.start(workload.artifact, { n: i });
        const stamps = (await handle.result({ timeoutMs: 30_000 })) as number[];
        const t3 = now();
        if (i >= warmup) out.push({ t0, stamps, t3 });
        await sleep(5); // idle between instances: no pipelining
      }
      return out;
    } finally {
      await rig.close();
    }
  });
  return { samples: value, instances: samples + warmup, commits };
}
