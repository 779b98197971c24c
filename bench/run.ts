/**
 * The runtime benchmark (`npm run bench`): Cairn against the Postgres commit limit
 * (pgbench), DBOS Transact and graphile-worker, in one run on one server, so that
 * every figure that matters is a ratio against something measured alongside it.
 * Prints a Markdown report and writes it to bench/results/<date>.md.
 *
 * Options: --quick (small counts, a smoke run; written to <date>-quick.md),
 *          --only <parts> (comma-separated: pgbench,latency,throughput,peers,sleep,scale,profile,waits),
 *          --rounds <n> (throughput rounds, default 2; 1 with --quick),
 *          --concurrency <n> (every system's worker concurrency, default 20).
 * Server: BENCH_DATABASE_URL, else DATABASE_URL (only its server part is used), else
 * postgres://postgres@127.0.0.1:5432/postgres. Databases cairn_bench, dbos_bench,
 * graphile_bench and pgbench_bench are dropped and recreated.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus, totalmem } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, dropDatabase, freshDatabase, serverInfo, type BenchContext } from "./common.ts";
import { compileWorkload } from "./cairn.ts";
import { cairnThroughput } from "./cairn-throughput.ts";
import { cairnLatency, latencyFrom, type LatencyChunk, type LatencySample } from "./cairn-latency.ts";
import { dbosInProcess, dbosLatency, dbosQueue } from "./dbos.ts";
import { graphileLatency, graphileThroughput } from "./graphile.ts";
import { pgbench, pgbenchAvailable } from "./pgbench.ts";
import { scale, sleepers } from "./sleep-scale.ts";
import { machineCpuMs } from "./usage.ts";
import { profileWorker } from "./profile.ts";
import { renderReport } from "./report.ts";
import { cairnWaits } from "./waits.ts";
import type { LatencyResult, Results } from "./types.ts";

const { values } = parseArgs({
  options: {
    quick: { type: "boolean", default: false },
    only: { type: "string" },
    rounds: { type: "string" },
    concurrency: { type: "string", default: "20" },
  },
});
const quick = values.quick ?? false;
const ALL_PARTS = "pgbench,latency,throughput,peers,sleep,scale,profile,waits";
const parts = new Set((values.only ?? ALL_PARTS).split(","));
const N = quick
  ? { instances: 300, latency: 30, latencyRounds: 1, warmup: 5, sleepers: 1000, sleepMs: 6000, scale: [100, 300, 1000], pgbenchSeconds: 3, rounds: 1 }
  : { instances: 2000, latency: 50, latencyRounds: 4, warmup: 5, sleepers: 10_000, sleepMs: 25_000, scale: [200, 2000, 20_000], pgbenchSeconds: 10, rounds: 2 };
const rounds = values.rounds ? Number(values.rounds) : N.rounds;

const rawUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const started = Date.now();
const ctx: BenchContext = {
  serverUrl: rawUrl,
  quick,
  concurrency: Number(values.concurrency),
  log: (line) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
};

function peerVersion(pkg: string): string {
  try {
    return (JSON.parse(readFileSync(join(BENCH_DIR, "peers", "node_modules", pkg, "package.json"), "utf8")) as { version: string }).version;
  } catch {
    return "not installed";
  }
}

/** The whole suite; resolves with the exit code (1 when a measurement failed). */
async function main(): Promise<number> {
  const results: Results = {
    machine: {
      cores: cpus().length, cpuModel: cpus()[0]?.model.trim() ?? "unknown", memoryGb: totalmem() / 2 ** 30, node: process.versions.node,
      postgres: await serverInfo(ctx.serverUrl), date: new Date().toISOString().slice(0, 10), quick, concurrency: ctx.concurrency,
      versions: { "@dbos-inc/dbos-sdk": peerVersion("@dbos-inc/dbos-sdk"), "graphile-worker": peerVersion("graphile-worker") },
    },
    pgbench: [], throughput: [], latency: [], sleep: null, scale: [], profile: null, waits: null, notMeasured: [], totalSeconds: 0,
  };
  let failures = 0;

  /** Runs one measurement; a failure is reported as "not measured" and the suite goes on. */
  async function step<T>(what: string, fn: () => Promise<T>, keep: (value: T) => void): Promise<void> {
    try {
      keep(await fn());
    } catch (err) {
      failures++;
      const reason = (err as Error).message.split("\n").filter(Boolean).slice(0, 6).join(" / ");
      ctx.log(`${what} failed: ${reason}`);
      results.notMeasured.push({ what, reason });
    }
  }

  const pgbenchVersion = await pgbenchAvailable();
  const runPgbench = async (phase: "before" | "after") => {
    if (!parts.has("pgbench")) return;
    if (!pgbenchVersion) {
      if (phase === "before") results.notMeasured.push({ what: "pgbench", reason: "pgbench is not installed (apt-get install postgresql-contrib)" });
      return;
    }
    await step(`pgbench (${phase})`, () => pgbench(ctx, phase, [1, 8], N.pgbenchSeconds), (r) => results.pgbench.push(...r));
  };

  const sequence = compileWorkload("sequence");
  const fanout = compileWorkload("fanout");
  const sleepy = compileWorkload("sleepy");
  const cairnUrl = await freshDatabase(ctx.serverUrl, "cairn_bench");
  const peers = parts.has("peers");
  const keepT = (round: number) => (r: Results["throughput"][number]) => results.throughput.push({ ...r, round });

  await runPgbench("before");
  if (parts.has("latency")) {
    // First, while nothing else of ours runs. In rounds, systems interleaved, samples
    // pooled: load from elsewhere then hits every system alike.
    const systems: Array<{ system: LatencyResult["system"]; mode: string; run: () => Promise<LatencyChunk> }> = [
      { system: "cairn", mode: "client.start() + result(), 1 worker process", run: () => cairnLatency(ctx, cairnUrl, sequence, N.latency, N.warmup) },
    ];
    if (peers) {
      systems.push({ system: "dbos", mode: "in-process startWorkflow() + getResult()", run: () => dbosLatency(ctx, N.latency, N.warmup) });
      systems.push({ system: "graphile", mode: "add_job() to the 3rd job reporting, 1 worker process", run: () => graphileLatency(ctx, N.latency, N.warmup) });
    }
    const pooled = systems.map(() => ({ samples: [] as LatencySample[], instances: 0, commits: 0, busy: 0, total: 0 }));
    for (let round = 1; round <= N.latencyRounds; round++) {
      for (const [i, s] of systems.entries()) {
        const measured = async () => {
          const m0 = machineCpuMs();
          const chunk = await s.run();
          const m1 = machineCpuMs();
          return { chunk, busy: m1.busy - m0.busy, total: m1.total - m0.total };
        };
        await step(`${s.system} latency (round ${round})`, measured, ({ chunk, busy, total }) => {
          const p = pooled[i]!;
          p.samples.push(...chunk.samples);
          p.instances += chunk.instances;
          p.commits += chunk.commits;
          p.busy += busy;
          p.total += total;
        });
      }
    }
    for (const [i, s] of systems.entries()) {
      const p = pooled[i]!;
      if (p.samples.length === 0) continue;
      const r = latencyFrom(s.system, s.mode, p.samples, { machineBusy: p.busy / Math.max(1, p.total), txPerInstance: p.commits / p.instances });
      ctx.log(`${s.system} latency: start->result p50 ${r.total.p50.toFixed(2)} ms, action->next p50 ${r.actionToNext.p50.toFixed(2)} ms`);
      results.latency.push(r);
    }
  }
  if (parts.has("throughput")) {
    // Systems interleaved and measured in rounds (the best round counts), so a burst of
    // load from elsewhere on the machine does not decide a comparison.
    for (let round = 1; round <= rounds; round++) {
      // The commit limit right now, for this round's ratios.
      if (parts.has("pgbench") && pgbenchVersion) {
        await step(`pgbench (round ${round})`, () => pgbench(ctx, `round ${round}`, [8], N.pgbenchSeconds / 2), (r) => results.pgbench.push(...r));
      }
      for (const workers of [1, 2]) {
        await step(`Cairn 3-action, ${workers} worker(s)`, () => cairnThroughput(ctx, cairnUrl, sequence, { workers, instances: N.instances }), keepT(round));
        if (peers && workers === 1) await step("DBOS in-process", () => dbosInProcess(ctx, N.instances), keepT(round));
        if (peers && workers === 2) await step("DBOS queue, 2 workers", () => dbosQueue(ctx, workers, N.instances), keepT(round));
        if (peers) await step(`graphile-worker, ${workers} worker(s)`, () => graphileThroughput(ctx, workers, N.instances), keepT(round));
      }
    }
    for (const workers of [1, 2]) {
      await step(`Cairn fan-out, ${workers} worker(s)`, () => cairnThroughput(ctx, cairnUrl, fanout, { workers, instances: N.instances }), keepT(1));
    }
  }
  if (parts.has("sleep")) {
    await step("Cairn sleepers", () => sleepers(ctx, cairnUrl, sleepy, N.sleepers, N.sleepMs), (r) => (results.sleep = r));
  }
  if (parts.has("scale")) {
    await step("Cairn scale", () => scale(ctx, cairnUrl, sequence, N.scale), (r) => results.scale.push(...r));
  }
  if (parts.has("profile")) {
    await step("Cairn worker profile", () => profileWorker(ctx, cairnUrl, sequence, N.instances), (r) => (results.profile = r));
  }
  if (parts.has("waits")) {
    await step("Cairn messages and children", () => cairnWaits(ctx.serverUrl, quick ? { pings: 100, fanOuts: 1 } : { pings: 500, fanOuts: 3 }), (r) => (results.waits = r));
  }
  await runPgbench("after");
  await dropDatabase(ctx.serverUrl, "cairn_bench");

  results.totalSeconds = (Date.now() - started) / 1000;
  const report = renderReport(results);
  process.stdout.write(`${report}\n`);
  const dir = join(BENCH_DIR, "results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${results.machine.date}${quick ? "-quick" : ""}${parts.size < ALL_PARTS.split(",").length ? "-partial" : ""}.md`);
  writeFileSync(file, `${report}\n`);
  ctx.log(`written to ${file}`);
  return failures > 0 ? 1 : 0;
}

process.exitCode = await main();
