/**
 * The path users take (`npm run bench:user`, also part "user" of `npm run bench`):
 * every workflow started by its own call and awaited through its own handle, each
 * system in a fresh Node process, with the options a user has before tuning.
 *   - Cairn: `connect()` + `client.start()` + `handle.result()`, with a `Worker`
 *     of default options in the same process (as DBOS runs in-process), and with
 *     two worker processes (default concurrency 10) serving a client process.
 *   - DBOS Transact: in-process `DBOS.startWorkflow(wf)(...)` + `handle.getResult()`,
 *     as its docs show (bench/peers/dbos-process.ts).
 *   - graphile-worker: `addJob` chains of 3 jobs, one runner
 *     (bench/peers/graphile-process.ts; its settings are printed).
 * Repeated (systems interleaved); each figure is the median of the repeats, and
 * every ratio compares figures of this run.
 */
import { join } from "node:path";
import { BENCH_DIR, dbNameOf, dist, freshDatabase, spawnTs, type BenchContext, type Child } from "./common.ts";
import { dbosInProcess, dbosLatency } from "./dbos.ts";
import { graphileLatency, graphileThroughput } from "./graphile.ts";
import type { LatencySample } from "./cairn-latency.ts";
import { connectDb } from "../runtime/store/db.ts";
import { migrate } from "../runtime/store/migrate.ts";
import { DEFAULT_CONCURRENCY } from "../runtime/durable/worker.ts";
import { commitFloor } from "./commit-floor.ts";
import { backendPids, cpuMeter } from "./usage.ts";

export interface UserPathCounts {
  instances: number;
  latency: number;
  warmup: number;
  repeats: number;
}

interface Row {
  system: string;
  config: string;
  /** CPU ms per step in the throughput runs: Cairn's processes, the Postgres backends (Cairn rows only). */
  cpuCairn: number[];
  cpuPostgres: number[];
  stepsPerSec: number[];
  p50: number[];
  p99: number[];
  next: number[];
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.floor((s.length - 1) / 2)]!;
};

/** Cairn's client process (and its worker processes when `workerProcesses` > 0) for one measurement. */
async function cairn(ctx: BenchContext, url: string, mode: "throughput" | "latency", n: number, warmup: number, workerProcesses: number) {
  const schema = `user_${mode}_${process.pid}_${Date.now()}`;
  const workers: Child[] = [];
  const env = { BENCH_DB_URL: url, BENCH_SCHEMA: schema };
  let client: Child | undefined;
  try {
    if (workerProcesses > 0) {
      // The worker processes expect the tables (the client process would race them to it).
      const db = await connectDb(url);
      await migrate(db, schema).finally(() => db.close());
      for (let i = 0; i < workerProcesses; i++) {
        workers.push(spawnTs(join(BENCH_DIR, "cairn-worker.ts"), { ...env, BENCH_MODULE: join(BENCH_DIR, "workloads", "sequence.ts"), BENCH_CONCURRENCY: String(DEFAULT_CONCURRENCY) }));
      }
      await Promise.all(workers.map((w) => w.ready));
    }
    client = spawnTs(join(BENCH_DIR, "cairn-user.ts"), {
      ...env, BENCH_MODE: mode, BENCH_INSTANCES: String(n), BENCH_WARMUP: String(warmup), BENCH_LOCAL_WORKER: workerProcesses > 0 ? "0" : "1",
    });
    await client.ready;
    // CPU of the Cairn processes and of the database's backends while the measured part runs.
    const database = dbNameOf(url);
    const pids = [client.pid, ...workers.map((w) => w.pid)];
    const meter = cpuMeter(() => pids, () => backendPids(ctx.serverUrl, database), database);
    client.child.kill("SIGUSR2");
    const message = await client.message(mode, 600_000);
    const cpu = await meter.stop();
    return Object.assign(message, { cpu });
  } finally {
    await client?.stop();
    await Promise.all(workers.map((w) => w.stop()));
    ctx.log(`cairn user path ${mode}${workerProcesses ? `, ${workerProcesses} worker processes` : ", in-process worker"} done`);
  }
}

function latencyOf(samples: LatencySample[]): { p50: number; p99: number; next: number } {
  const total = dist(samples.map((s) => s.t3 - s.t0));
  const next = dist(samples.flatMap((s) => s.stamps.slice(1).map((t, i) => t - s.stamps[i]!)));
  return { p50: total.p50, p99: total.p99, next: next.p50 };
}

/** Runs the user-path measurements; returns the report section (Markdown). */
export async function userPath(ctx: BenchContext, counts: UserPathCounts, peers: boolean): Promise<string> {
  const url = await freshDatabase(ctx.serverUrl, "cairn_user_bench");
  const rows: Row[] = [
    { system: "Cairn", config: "`connect()` + in-process `new Worker(client.db, { actions })`, defaults (concurrency 50, pool 10)", cpuCairn: [], cpuPostgres: [], stepsPerSec: [], p50: [], p99: [], next: [] },
    { system: "Cairn", config: "client process + 2 `cairn worker`-like processes, defaults (concurrency 50 each)", cpuCairn: [], cpuPostgres: [], stepsPerSec: [], p50: [], p99: [], next: [] },
  ];
  if (peers) {
    rows.push({ system: "DBOS Transact", config: "in-process `DBOS.startWorkflow(wf)(i)` + `handle.getResult()`, default config", cpuCairn: [], cpuPostgres: [], stepsPerSec: [], p50: [], p99: [], next: [] });
    rows.push({ system: "graphile-worker", config: `\`addJob\` chain of 3 jobs, 1 runner, concurrency ${ctx.concurrency}, pollInterval default, LISTEN/NOTIFY`, cpuCairn: [], cpuPostgres: [], stepsPerSec: [], p50: [], p99: [], next: [] });
  }
  const N = counts.instances;
  const floor: number[] = [];
  for (let r = 1; r <= counts.repeats; r++) {
    floor.push((await commitFloor(url)).p50);
    for (const [i, workerProcesses] of [0, 2].entries()) {
      const t = await cairn(ctx, url, "throughput", N, 0, workerProcesses);
      rows[i]!.stepsPerSec.push((3 * N) / (((t.t1 as number) - (t.t0 as number)) / 1000));
      rows[i]!.cpuCairn.push(t.cpu.processMs / (3 * N));
      rows[i]!.cpuPostgres.push(t.cpu.postgresMs / (3 * N));
      const l = latencyOf((await cairn(ctx, url, "latency", counts.latency, counts.warmup, workerProcesses)).samples as LatencySample[]);
      rows[i]!.p50.push(l.p50), rows[i]!.p99.push(l.p99), rows[i]!.next.push(l.next);
    }
    if (peers) {
      const d = await dbosInProcess(ctx, N);
      rows[2]!.stepsPerSec.push(d.actionsPerSec);
      const dl = latencyOf((await dbosLatency(ctx, counts.latency, counts.warmup)).samples);
      rows[2]!.p50.push(dl.p50), rows[2]!.p99.push(dl.p99), rows[2]!.next.push(dl.next);
      const g = await graphileThroughput(ctx, 1, N);
      rows[3]!.stepsPerSec.push(g.actionsPerSec);
      const gl = latencyOf((await graphileLatency(ctx, counts.latency, counts.warmup)).samples);
      rows[3]!.p50.push(gl.p50), rows[3]!.p99.push(gl.p99), rows[3]!.next.push(gl.next);
    }
  }
  return render(rows, counts, peers, median(floor));
}

function render(rows: Row[], counts: UserPathCounts, peers: boolean, floor: number): string {
  const f = (x: number, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "n/a");
  const out = [
    "## The user path: start() + result() per workflow",
    "",
    `${counts.instances} workflows of 3 no-op steps started at once (each by its own call, awaited by its own handle) for steps/s; ` +
      `${counts.latency} workflows one at a time (after ${counts.warmup} of warm-up) for latency; median of ${counts.repeats} repeats, ` +
      "systems interleaved, each in a fresh Node process on the same Postgres.",
    "",
    "| system | configuration | steps/s | start → result p50 / p99 (ms) | action → next p50 (ms) |",
    "|---|---|---:|---:|---:|",
  ];
  for (const r of rows) {
    out.push(`| ${r.system} | ${r.config} | ${f(median(r.stepsPerSec), 0)} | ${f(median(r.p50))} / ${f(median(r.p99))} | ${f(median(r.next))} |`);
  }
  if (peers) {
    const cairn = rows[0]!;
    const [dbos, graphile] = [rows[2]!, rows[3]!];
    const ratio = (a: number[], b: number[]) => median(a) / median(b);
    const check = (ok: boolean) => (ok ? "met" : "**not met**");
    const tp = ratio(cairn.stepsPerSec, dbos.stepsPerSec);
    const tg = ratio(cairn.stepsPerSec, graphile.stepsPerSec);
    const p50 = ratio(cairn.p50, dbos.p50);
    const p99 = ratio(cairn.p99, dbos.p99);
    const next = median(cairn.next);
    out.push(
      "",
      "Targets (Cairn with its in-process worker, against figures of this run):",
      "",
      `- steps/s >= 4x DBOS: ${f(tp)}x, ${check(tp >= 4)}; >= 4x graphile-worker: ${f(tg)}x, ${check(tg >= 4)}`,
      `- start → result p50 <= 0.5x DBOS: ${f(p50)}x, ${check(p50 <= 0.5)}; p99 <= 1x DBOS: ${f(p99)}x, ${check(p99 <= 1)}`,
      `- action → next action p50 <= 1 ms: ${f(next)} ms, ${check(next <= 1)}`,
    );
  }
  out.push("", "CPU per step in the throughput runs (median; /proc, 10 ms ticks):", "");
  for (const [i, r] of rows.entries()) {
    if (r.cpuCairn.length === 0) continue;
    const setup = i === 0 ? "in-process worker" : "client process + 2 worker processes";
    out.push(`- Cairn, ${setup}: Cairn processes ${f(median(r.cpuCairn), 3)} ms, Postgres ${f(median(r.cpuPostgres), 3)} ms`);
  }
  out.push(
    "",
    `The floor under action → next, same run: one durable commit as Node sees it (a prepared one-row upsert, one at a time, bench/commit-floor.ts) takes ${f(floor, 3)} ms p50; ` +
      `Cairn's action → next is ${f(median(rows[0]!.next) / floor)}x that.`,
  );
  return out.join("\n");
}
