/**
 * Three workers, each with its own connection pool, racing on one queue: fan-outs
 * and sequences complete, every call resolves exactly once, and no task is lost.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { connectDb, type Db } from "../runtime/store/db.ts";
import { Worker } from "../runtime/durable/worker.ts";
import { databaseUrl } from "./helpers/db.ts";
import { FAST_RETRY, durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
const pools: Db[] = [];
const workers: Worker[] = [];
beforeAll(async () => {
  env = await durableEnv("pg", "race");
});
afterAll(async () => {
  for (const w of workers) await w.stop(1000);
  for (const p of pools) await p.close();
  await env?.close();
});

test("three workers racing: no double transitions, no lost tasks", async () => {
  const { artifact, actions } = await inlineWorkflow("race_fanout", `
    import { action, workflow } from "cairnjs";
    export const square = action(async function square(x: number) { return x * x; });
    export const total = action(async function total(xs: number[]) { return xs.reduce((a, b) => a + b, 0); });
    export const fanout = workflow(async function fanout(n: number) {
      const xs = [n, n + 1, n + 2, n + 3, n + 4];
      const squares = await Promise.all(xs.map((x) => square(x)));
      const t = await total(squares);
      return await square(t);
    });
  `);
  for (let i = 0; i < 3; i++) {
    const db = await connectDb(databaseUrl(), { max: 6 });
    pools.push(db);
    const w = new Worker(db, { actions, schema: env.schema, migrate: false, concurrency: 8, pollMs: 100, defaultRetry: FAST_RETRY, id: `racer-${i}` });
    await w.start();
    workers.push(w);
  }
  const N = 150;
  const runs = await Promise.all(Array.from({ length: N }, (_, n) => env.client.start(artifact, { n })));
  const results = await Promise.all(runs.map((r) => r.result({ timeoutMs: 60_000 })));
  const expected = (n: number) => {
    const t = [0, 1, 2, 3, 4].reduce((a, k) => a + (n + k) ** 2, 0);
    return t * t;
  };
  expect(results).toEqual(runs.map((_, n) => expected(n)));

  const s = `"${env.schema}"`;
  const [stats] = await env.db.query<{ resolved: number; distinct_calls: number; tasks: number; done: number; workers: number }>(
    `SELECT (SELECT count(*)::int FROM ${s}.history WHERE kind = 'resolved') AS resolved,
            (SELECT count(DISTINCT (instance_id, call_id))::int FROM ${s}.history WHERE kind = 'resolved') AS distinct_calls,
            (SELECT count(*)::int FROM ${s}.tasks) AS tasks,
            (SELECT count(*)::int FROM ${s}.tasks WHERE status = 'done') AS done,
            (SELECT count(DISTINCT data->>'worker')::int FROM ${s}.history WHERE kind = 'attempt') AS workers`,
  );
  // 7 calls per instance: 5 squares, the total, the final square.
  expect(stats).toEqual({ resolved: 7 * N, distinct_calls: 7 * N, tasks: 7 * N, done: 7 * N, workers: 3 });
});
