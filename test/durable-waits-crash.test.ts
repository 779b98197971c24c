/**
 * Messages and child starts under real crashes. Messages sent while the only
 * worker is dead are received once it is back, in order. Child starts: parents that fan out to children after an
 * action, while the worker process is killed with SIGKILL, several times. Every
 * parent must finish with the right answer, every child call must have started
 * exactly one child, and every parent's call be answered once.
 */
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { databaseUrl } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { spawnWorker } from "./helpers/processes.ts";
import { arr, assign, awaitAll, bin, block, branch, callAwait, child, jump, lit, push, ret, v, workflow } from "./helpers/ir-builders.ts";
import { collector } from "./helpers/wait-workflows.ts";

const MODULE = fileURLToPath(new URL("./workloads/crash-workflow.ts", import.meta.url));
const PARENTS = 40;
const KIDS = 5;
let env: DurableEnv;

beforeAll(async () => {
  env = await durableEnv("pg", "kcrash");
  await env.db.query(`CREATE TABLE "${env.schema}".effects (key text NOT NULL, step text NOT NULL, attempt int NOT NULL, pid int NOT NULL)`);
});
afterAll(() => env?.close());

/** kid(x) = stepC(await stepB(x), x) */
const kid = workflow(["x"], [block(ret(v("c")), [callAwait("c1", "stepB", [v("x")], "b"), callAwait("c2", "stepC", [v("b"), v("x")], "c")])], { name: "kid" });
/** fam(n): a = await stepA(n); return await Promise.all([0..KIDS).map((i) => kid(a * 10 + i))) */
const fam = workflow(["n"], [
  block(jump(1), [callAwait("c1", "stepA", [v("n")], "a"), assign("i", lit(0)), assign("hs", arr())]),
  block(branch(bin("<", v("i"), lit(KIDS)), 2, 3)),
  block(jump(1), [
    child("k1", "kid", [bin("+", bin("*", v("a"), lit(10)), v("i"))], "%h", ["i"]), push("hs", arr(v("%h"))), assign("i", bin("+", v("i"), lit(1))),
  ]),
  block(ret(v("all")), [awaitAll(v("hs"), "all")]),
], { name: "fam" });

const expected = (n: number) => Array.from({ length: KIDS }, (_, i) => (n + 1) * 10 + i).map((x) => `${x}->${x * 2}`);

test("kill -9 while parents start children: each child starts once, each parent finishes right", async () => {
  await env.client.engine.register(kid);
  const ids: string[] = [];
  for (let n = 0; n < PARENTS; n++) ids.push((await env.client.start(fam, { n })).id);
  const procEnv = {
    CAIRN_TEST_DB: databaseUrl(), CAIRN_TEST_SCHEMA: env.schema, CAIRN_TEST_MODULE: MODULE, CAIRN_TEST_LEASE_MS: "1000", CAIRN_TEST_CONCURRENCY: "25",
    // Three kills may each interrupt one call's attempt (and a loaded machine may let a lease lapse): what is
    // tested is that children start once, not how many tries a call gets.
    CAIRN_TEST_ATTEMPTS: "10",
  };
  for (let round = 0; round < 3; round++) {
    const w = spawnWorker(procEnv);
    await w.ready;
    const before = await children();
    // Pull the plug while children are being started and run.
    await waitFor(async () => (await children()) >= before + 20 || (await children()) === PARENTS * KIDS, 30_000);
    w.child.kill("SIGKILL");
    await w.exited;
  }
  const last = spawnWorker(procEnv);
  await last.ready;
  try {
    for (const [n, id] of ids.entries()) expect(await env.client.result(id, { timeoutMs: 60_000 })).toEqual(expected(n));
  } finally {
    last.child.kill("SIGTERM");
    await last.exited;
  }
  const [row] = await env.db.query<{ kids: number; calls: number; started: number; answered: number }>(
    `SELECT (SELECT count(*)::int FROM "${env.schema}".instances WHERE parent_id IS NOT NULL) AS kids,
            (SELECT count(DISTINCT (parent_id, parent_call))::int FROM "${env.schema}".instances WHERE parent_id IS NOT NULL) AS calls,
            (SELECT count(*)::int FROM "${env.schema}".history WHERE kind = 'child') AS started,
            (SELECT count(*)::int FROM "${env.schema}".history h JOIN "${env.schema}".instances i ON i.id = h.instance_id
              WHERE h.kind = 'resolved' AND h.call_id LIKE 'k1@%' AND i.parent_id IS NULL) AS answered`,
  );
  expect(row).toEqual({ kids: PARENTS * KIDS, calls: PARENTS * KIDS, started: PARENTS * KIDS, answered: PARENTS * KIDS });
}, 180_000);

test("messages sent around a kill -9 of the only worker are all received, once, in order", async () => {
  const procEnv = { CAIRN_TEST_DB: databaseUrl(), CAIRN_TEST_SCHEMA: env.schema, CAIRN_TEST_MODULE: MODULE, CAIRN_TEST_LEASE_MS: "1000" };
  const w = spawnWorker(procEnv);
  await w.ready;
  const ids: string[] = [];
  for (let i = 0; i < 10; i++) ids.push((await env.client.start(collector, { n: 6 })).id);
  for (const id of ids) for (const m of [0, 1]) await env.client.send(id, "t", m);
  w.child.kill("SIGKILL");
  await w.exited;
  // No worker at all: the messages wait in the database.
  for (const id of ids) for (const m of [2, 3]) await env.client.send(id, "t", m);
  const back = spawnWorker(procEnv);
  await back.ready;
  try {
    for (const id of ids) for (const m of [4, 5]) await env.client.send(id, "t", m);
    for (const id of ids) expect(await env.client.result(id, { timeoutMs: 30_000 })).toEqual([0, 1, 2, 3, 4, 5]);
  } finally {
    back.child.kill("SIGTERM");
    await back.exited;
  }
}, 60_000);

async function children(): Promise<number> {
  const [r] = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".instances WHERE parent_id IS NOT NULL AND status = 'completed'`);
  return r.n;
}

async function waitFor(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("timed out waiting for condition");
    await new Promise((r) => setTimeout(r, 25));
  }
}
