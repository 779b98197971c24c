/**
 * Retention: finished instances older than the age are deleted with their tasks and
 * history, in bounded batches; running and recent ones stay. Through the function a
 * worker runs, a worker's own rounds, and `cairn prune`.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { prune, pruneBatch, PRUNE_BATCH } from "../runtime/durable/prune.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";
import { cairn, REPO } from "./cli-harness.ts";
import { databaseUrl } from "./helpers/db.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "prune");
});
afterAll(() => env?.close());

const count = async (table: string) => (await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".${table}`))[0]!.n;
const age = (days: number) => env.db.query(`UPDATE "${env.schema}".instances SET finished_at = finished_at - $1::int * interval '1 day' WHERE finished_at IS NOT NULL`, [days]);

test("old finished instances go with their tasks and history, in batches; running and recent ones stay", async () => {
  const { artifact, actions } = await inlineWorkflow("prune_flow", `
    import { action, workflow, sleep } from "cairnjs";
    export const one = action(async function one(n: number) { return n; });
    export const flow = workflow(async function flow(n: number, wait: boolean) {
      if (wait) await sleep("1h");
      return await one(n);
    });
  `);
  await env.startWorker({ actions, retentionMs: 0 });
  const done = await env.client.startMany(artifact, Array.from({ length: PRUNE_BATCH + 100 }, (_, n) => ({ n, wait: false })));
  await Promise.all(done.map((h) => h.result()));
  const sleeping = await env.client.start(artifact, { n: 1, wait: true });
  await age(8);
  const recent = await env.client.start(artifact, { n: 2, wait: false });
  expect(await recent.result()).toBe(2);
  expect(await pruneBatch(env.db, env.schema, 7 * 86_400_000)).toBe(PRUNE_BATCH);
  const batches: number[] = [];
  expect(await prune(env.db, env.schema, 7 * 86_400_000, (total) => batches.push(total))).toBe(100);
  expect(batches).toEqual([100]);
  const left = await env.db.query<{ id: string }>(`SELECT id FROM "${env.schema}".instances ORDER BY id`);
  expect(left.map((r) => r.id).sort()).toEqual([sleeping.id, recent.id].sort());
  const orphans = (table: string) => count(`${table} WHERE instance_id NOT IN (SELECT id FROM "${env.schema}".instances)`);
  expect([await orphans("tasks"), await orphans("history")]).toEqual([0, 0]);
  await env.stopWorkers();
});

test("a worker prunes by itself past its retention; cairn prune is the one-off", async () => {
  const { artifact, actions } = await inlineWorkflow("prune_worker", `
    import { action, workflow } from "cairnjs";
    export const two = action(async function two(n: number) { return n * 2; });
    export const flow2 = workflow(async function flow2(n: number) { return await two(n); });
  `);
  await env.startWorker({ actions, retentionMs: 0 });
  const runs = await env.client.startMany(artifact, [{ n: 1 }, { n: 2 }, { n: 3 }]);
  await Promise.all(runs.map((r) => r.result()));
  await age(3);
  await env.stopWorkers();
  // A worker with a 2-day retention prunes on its first maintenance round (every lease / 3).
  await env.startWorker({ actions, retentionMs: 2 * 86_400_000, leaseMs: 600 });
  for (let i = 0; i < 50 && (await count(`instances WHERE workflow = 'flow2'`)) > 0; i++) await new Promise((r) => setTimeout(r, 100));
  expect(await count(`instances WHERE workflow = 'flow2'`)).toBe(0);
  await env.stopWorkers();

  const again = await env.client.startMany(artifact, [{ n: 4 }]);
  await env.startWorker({ actions, retentionMs: 0 });
  await again[0]!.result();
  await env.stopWorkers();
  await age(2);
  const cliEnv = { DATABASE_URL: databaseUrl(), CAIRN_SCHEMA: env.schema };
  const cli = await cairn(["prune", "--older-than", "1d"], REPO, cliEnv);
  expect([cli.code, cli.stdout]).toEqual([0, "1\n"]);
  const bad = await cairn(["prune", "--older-than", "soon"], REPO, cliEnv);
  expect(bad.code).toBe(3);
});
