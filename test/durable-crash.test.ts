/**
 * Real crashes: 200 instances in flight while the worker process is killed with
 * SIGKILL, several times, mid-action. A fresh worker must finish every instance
 * with the right result; no transition may be applied twice; and every re-run of
 * an action must have carried the same idempotency key as the attempt it replaced.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { compileSingle } from "./helpers/compiled.ts";
import { databaseUrl } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { spawnWorker } from "./helpers/processes.ts";

const MODULE = fileURLToPath(new URL("./workloads/crash-workflow.ts", import.meta.url));
const N = 200;
let env: DurableEnv;

beforeAll(async () => {
  env = await durableEnv("pg", "crash");
  await env.db.query(
    `CREATE TABLE "${env.schema}".effects (key text NOT NULL, step text NOT NULL, attempt int NOT NULL, pid int NOT NULL)`,
  );
});
afterAll(() => env?.close());

test("kill -9 mid-action, repeatedly: every instance finishes once, with its result", async () => {
  const { artifact } = compileSingle(MODULE, readFileSync(MODULE, "utf8"));
  const ids: string[] = [];
  for (let n = 0; n < N; n++) ids.push((await env.client.start(artifact, { n })).id);
  const procEnv = {
    CAIRN_TEST_DB: databaseUrl(),
    CAIRN_TEST_SCHEMA: env.schema,
    CAIRN_TEST_MODULE: MODULE,
    CAIRN_TEST_LEASE_MS: "1000",
    CAIRN_TEST_CONCURRENCY: "25",
  };

  const killedPids: number[] = [];
  for (let round = 0; round < 3; round++) {
    const w = spawnWorker(procEnv);
    await w.ready;
    // Let it get well into running actions, then pull the plug.
    await waitFor(async () => Number((await count(env, "effects", `pid = ${w.child.pid}`))) >= 20, 20_000);
    w.child.kill("SIGKILL");
    await w.exited;
    killedPids.push(w.child.pid!);
  }
  const finalWorker = spawnWorker(procEnv);
  await finalWorker.ready;
  try {
    for (const [n, id] of ids.entries()) {
      expect(await env.client.result(id, { timeoutMs: 60_000 })).toBe(`${n}->${(n + 1) * 2}`);
    }
  } finally {
    finalWorker.child.kill("SIGTERM");
    await finalWorker.exited;
  }

  // Exactly one applied resolution per call, three calls per instance.
  const perCall = await env.db.query<{ n: number; calls: string }>(
    `SELECT count(*)::int AS n, count(DISTINCT (instance_id, call_id))::text AS calls
       FROM "${env.schema}".history WHERE kind = 'resolved'`,
  );
  expect(perCall[0]).toEqual({ n: 3 * N, calls: String(3 * N) });
  // The kills interrupted real attempts, which were re-run ...
  const rerun = await env.db.query<{ keys: string }>(
    `SELECT count(*)::text AS keys FROM (SELECT key FROM "${env.schema}".effects GROUP BY key HAVING count(*) > 1) r`,
  );
  expect(Number(rerun[0].keys)).toBeGreaterThan(0);
  // ... under the same idempotency key: one key per call (instance:call), each attempt
  // numbered once (a number may be missing: an attempt killed before its first write).
  const keys = await env.db.query<{ key: string; attempts: number[] }>(
    `SELECT key, array_agg(attempt ORDER BY attempt) AS attempts FROM "${env.schema}".effects GROUP BY key`,
  );
  expect(keys).toHaveLength(3 * N);
  for (const k of keys) {
    expect(k.key).toMatch(/^[0-9a-f-]{36}:c[0-9]+$/);
    expect(new Set(k.attempts).size).toBe(k.attempts.length);
  }
  expect(killedPids).toHaveLength(3);
}, 180_000);

async function count(env: DurableEnv, table: string, where: string): Promise<string> {
  const rows = await env.db.query<{ n: string }>(`SELECT count(*)::text AS n FROM "${env.schema}".${table} WHERE ${where}`);
  return rows[0].n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 25));
  }
}
