/**
 * `npm run bench:long`: does a step cost the same late in a long run as early? One
 * instance calls a no-op action 10,000 times in sequence (bench/workloads/long-loop.ts),
 * durably, with a real Worker in this process. A step is the time from one call's
 * completion to the next one's: the completion's commit, loading the state, `advance`,
 * saving the state and running the next call. Reported over calls 1-500 and
 * 9,500-10,000 with the saved state's size (bytes of JSON) near both ends; the
 * target is a late/early ratio <= 1.2 and a state that does not grow.
 *
 * Server: DATABASE_URL's server, else the embedded one (as `cairn run`), in a
 * database of its own (`cairn_long_bench`, recreated, dropped at the end): another
 * session's open snapshot on the same database keeps the dead versions of the one
 * row this run updates 10,000 times from being pruned, and then every step pays
 * for the run's length for a reason outside Cairn (seen: a late/early ratio of 3.6
 * sharing the test database with a test run, 0.88 alone). Options: --calls N (10000).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { validateArtifact } from "../ir-schema/index.ts";
import { compile, formatDiagnostics, nodeResolver } from "../plugin/index.ts";
import { connect, resolveDatabaseUrl } from "../runtime/durable/client.ts";
import { Worker } from "../runtime/durable/worker.ts";
import { migrate } from "../runtime/store/migrate.ts";
import { longNoop } from "./workloads/long-loop.ts";
import { BENCH_DIR, REPO_ROOT, dropDatabase, freshDatabase } from "./common.ts";

const SCHEMA = "cairn_bench_long";
const DATABASE = "cairn_long_bench";
const WINDOW = 500;

function compileLoop() {
  const file = join(BENCH_DIR, "workloads", "long-loop.ts");
  const result = compile(readFileSync(file, "utf8"), file, nodeResolver(REPO_ROOT), { validate: validateArtifact });
  if (result.diagnostics.length > 0 || result.workflows.length !== 1) {
    throw new Error(`long-loop.ts does not compile cleanly:\n${formatDiagnostics(result.diagnostics, { cwd: REPO_ROOT })}`);
  }
  return result.workflows[0]!;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length;

async function main(): Promise<void> {
  const arg = process.argv.indexOf("--calls");
  const calls = arg > 0 ? Number(process.argv[arg + 1]) : 10_000;
  if (!Number.isInteger(calls) || calls < 2 * WINDOW) throw new Error(`--calls must be an integer of at least ${2 * WINDOW}`);
  const artifact = compileLoop();
  const serverUrl = await resolveDatabaseUrl();
  const client = await connect({ url: await freshDatabase(serverUrl, DATABASE), schema: SCHEMA, migrate: false });
  await migrate(client.db, SCHEMA);

  // Completion time of each call, by the loop index in its call id (`c1@<i>`).
  const doneAt = new Array<number>(calls).fill(NaN);
  // This process's CPU (worker and client: the interpreter, the codec, the driver) at
  // the edges of both windows: steadier than wall time on a busy machine.
  const cpuAt = new Map<number, number>();
  const cpuEdges = [0, WINDOW, calls - WINDOW - 1, calls - 1];
  // The saved state's size, read while the instance runs, at a call near each end.
  const probes = new Map<number, Promise<number>>();
  const probeAt = [Math.floor(WINDOW / 2), calls - Math.floor(WINDOW / 2)];
  let instanceId = "";
  const worker = new Worker(client.db, {
    actions: [longNoop],
    schema: SCHEMA,
    migrate: false,
    concurrency: 1,
    onEvent: (e) => {
      if (e.type !== "completed") return;
      const i = Number(e.callId.slice(e.callId.indexOf("@") + 1));
      doneAt[i] = performance.now();
      if (cpuEdges.includes(i)) {
        const u = process.cpuUsage();
        cpuAt.set(i, (u.user + u.system) / 1000);
      }
      if (probeAt.includes(i)) {
        probes.set(i, client.db.query<{ bytes: number }>(`SELECT octet_length(state::text) AS bytes FROM ${SCHEMA}.instances WHERE id = $1`, [instanceId])
          .then((rows) => Number(rows[0]!.bytes)));
      }
    },
  });
  await worker.start();
  try {
    const t0 = performance.now();
    const handle = await client.start(artifact, { n: calls });
    instanceId = handle.id;
    const result = await handle.result({ timeoutMs: 30 * 60_000 });
    const seconds = (performance.now() - t0) / 1000;
    if (result !== calls) throw new Error(`expected ${calls}, got ${JSON.stringify(result)}`);
    const [{ bytes: finalBytes }] = await client.db.query<{ bytes: number }>(`SELECT octet_length(state::text) AS bytes FROM ${SCHEMA}.instances WHERE id = $1`, [instanceId]);
    // A step: completion of call i-1 to completion of call i. The probes' own queries are left out.
    const steps = (from: number, to: number) => {
      const out: number[] = [];
      for (let i = Math.max(from, 1); i < to; i++) if (!probeAt.includes(i) && !probeAt.includes(i - 1)) out.push(doneAt[i]! - doneAt[i - 1]!);
      return out;
    };
    const early = steps(1, WINDOW + 1);
    const late = steps(calls - WINDOW, calls);
    const [earlyBytes, lateBytes] = await Promise.all(probeAt.map((i) => probes.get(i)!));
    const ratio = median(late) / median(early);
    const cpuEarly = (cpuAt.get(WINDOW)! - cpuAt.get(0)!) / WINDOW;
    const cpuLate = (cpuAt.get(calls - 1)! - cpuAt.get(calls - WINDOW - 1)!) / WINDOW;
    const fmt = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, mean ${mean(xs).toFixed(2)} ms`;
    console.log(`bench:long — one instance, ${calls} sequential no-op actions, ${seconds.toFixed(1)} s (${(calls / seconds).toFixed(0)} calls/s)`);
    console.log(`  steps, calls 1-${WINDOW}:             ${fmt(early)}; CPU of this process ${cpuEarly.toFixed(2)} ms per step`);
    console.log(`  steps, calls ${calls - WINDOW}-${calls}:        ${fmt(late)}; CPU of this process ${cpuLate.toFixed(2)} ms per step`);
    console.log(`  saved state at call ${probeAt[0]}:       ${earlyBytes} bytes of JSON`);
    console.log(`  saved state at call ${probeAt[1]}:      ${lateBytes} bytes of JSON (final state: ${finalBytes})`);
    const verdict = (r: number) => `${r.toFixed(2)} ${r <= 1.2 ? "(met)" : "(MISSED)"}`;
    console.log(`  late/early, target <= 1.2: wall median ${verdict(ratio)}, CPU ${verdict(cpuLate / cpuEarly)}`);
    console.log(`  state size ${lateBytes <= earlyBytes + 32 ? "flat (met)" : "GROWS (MISSED)"}`);
  } finally {
    await worker.stop(1000);
    await client.close();
    await dropDatabase(serverUrl, DATABASE);
  }
}

await main();
