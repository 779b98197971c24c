/**
 * `npm run bench:retention`: does the runtime stay as fast as its tables grow? Two
 * comparisons of the 3-action sequence's throughput (one worker process, the
 * defaults), each in one run on one server:
 * - 200 instances against 20,000 started at once (a big burst: its own rows pile up
 *   as it runs);
 * - 2,000 instances on an empty schema against the same on a schema that already
 *   holds 1,000,000 finished instances, each with its 3 done tasks and a history row
 *   (generated with SQL, then VACUUM ANALYZE as autovacuum would), finished a day
 *   ago: inside the default 7-day retention, so they stay for the run and it
 *   measures the weight of the rows alone. What retention does is keep the second
 *   case from growing without end: without it a service has that many after a few
 *   weeks, and more every day.
 * Targets: >= 0.9x in both. Options: --quick (2,000 vs 200, 100,000 finished, 500
 * per run). Server: BENCH_DATABASE_URL, else DATABASE_URL; database
 * cairn_retention_bench is dropped and recreated.
 */
import { parseArgs } from "node:util";
import { dropDatabase, freshDatabase, type BenchContext } from "./common.ts";
import { compileWorkload, type Workload } from "./cairn.ts";
import { cairnThroughput } from "./cairn-throughput.ts";
import type { Client } from "../runtime/durable/client.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const N = values.quick ? { small: 200, large: 2_000, finished: 100_000, run: 500 } : { small: 200, large: 20_000, finished: 1_000_000, run: 2_000 };
const TARGET = 0.9;
const serverUrl = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const started = Date.now();
const ctx: BenchContext = {
  serverUrl,
  quick: values.quick ?? false,
  concurrency: 50,
  log: (line) => process.stderr.write(`[retention +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
};

/** `count` finished instances of `workload` in `schema`, with their done tasks and one history row each. */
function finishedInstances(workload: Workload, count: number) {
  return async (client: Client, schema: string): Promise<void> => {
    const s = `"${schema}"`;
    const artifact = await client.engine.register(workload.artifact);
    const t0 = Date.now();
    await client.db.query(
      `INSERT INTO ${s}.instances (id, workflow, hash, status, input, state, version, result, created_at, updated_at, finished_at)
       SELECT gen_random_uuid(), $1, $2, 'completed', json_build_object('n', g), '{}'::json, 4, json_build_array(g, g, g),
              at - interval '20 ms', at, at
         FROM generate_series(1, $3::int) g, LATERAL (SELECT now() - interval '1 day' - g * interval '1 ms' AS at) t`,
      [artifact.name, artifact.hash, count],
    );
    await client.db.query(
      `INSERT INTO ${s}.tasks (instance_id, call_id, action, args, options, status, attempt, run_at, created_at)
       SELECT i.id, 'c' || k, 'seqStep' || k, json_build_array(k), '{}'::json, 'done', 1, i.finished_at, i.created_at
         FROM ${s}.instances i, generate_series(1, 3) k`,
    );
    await client.db.query(
      `INSERT INTO ${s}.history (instance_id, at, kind, data) SELECT id, finished_at, 'completed', result FROM ${s}.instances`,
    );
    await client.db.query(`VACUUM ANALYZE ${s}.instances, ${s}.tasks, ${s}.history`);
    ctx.log(`generated ${count} finished instances (${count * 3} tasks, ${count} history rows) in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  };
}

async function main(): Promise<void> {
  const url = await freshDatabase(serverUrl, "cairn_retention_bench");
  const workload = compileWorkload("sequence");
  try {
    const small = await cairnThroughput(ctx, url, workload, { workers: 1, instances: N.small, schema: "ret_small" });
    const large = await cairnThroughput(ctx, url, workload, { workers: 1, instances: N.large, schema: "ret_large" });
    const empty = await cairnThroughput(ctx, url, workload, { workers: 1, instances: N.run, schema: "ret_empty" });
    const full = await cairnThroughput(ctx, url, workload, {
      workers: 1, instances: N.run, schema: "ret_full", prefill: finishedInstances(workload, N.finished),
    });
    const row = (name: string, r: typeof small) =>
      `| ${name} | ${r.actionsPerSec.toFixed(0)} | ${(r.cpu.postgresMs / r.actions).toFixed(3)} | ${(r.cpu.processMs / r.actions).toFixed(3)} |`;
    const ratio = (a: typeof small, b: typeof small) => {
      const x = b.actionsPerSec / a.actionsPerSec;
      return `${x.toFixed(2)}x (target >= ${TARGET}x: ${x >= TARGET ? "met" : "**not met**"})`;
    };
    const lines = [
      `## Throughput as the tables grow (3-action sequence, 1 worker process, concurrency ${ctx.concurrency})`,
      "",
      "| run | actions/s | Postgres CPU ms/action | worker CPU ms/action |",
      "|---|---:|---:|---:|",
      row(`${N.small} instances`, small),
      row(`${N.large.toLocaleString("en")} instances`, large),
      row(`${N.run.toLocaleString("en")} instances, empty schema`, empty),
      row(`${N.run.toLocaleString("en")} instances beside ${N.finished.toLocaleString("en")} finished`, full),
      "",
      `- ${N.large.toLocaleString("en")} against ${N.small}: ${ratio(small, large)}`,
      `- beside ${N.finished.toLocaleString("en")} finished against empty: ${ratio(empty, full)}`,
    ];
    process.stdout.write(lines.join("\n") + "\n");
  } finally {
    await dropDatabase(serverUrl, "cairn_retention_bench");
  }
}

await main();
