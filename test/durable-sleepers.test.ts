/**
 * 10,000 instances asleep at once. A sleeping instance is a row with a wake-up
 * time, so the worker's memory must not grow with them; when the time comes, any
 * worker wakes them all and they finish.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, expect, test } from "vitest";
import { compileSingle } from "./helpers/compiled.ts";
import { databaseUrl } from "./helpers/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { spawnWorker, type WorkerProcess } from "./helpers/processes.ts";

const MODULE = fileURLToPath(new URL("./workloads/sleepy-workflow.ts", import.meta.url));
const N = 10_000;
let env: DurableEnv;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  env = await durableEnv("pg", "sleep");
});
afterAll(async () => {
  worker?.child.kill("SIGKILL");
  await env?.close();
});

/** Resident set size of a process, from /proc (kB -> MB). */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"))!;
  return Number(line.split(/\s+/)[1]) / 1024;
}

test("10,000 sleeping instances cost the worker no memory, then all wake and finish", async () => {
  const { artifact } = compileSingle(MODULE, readFileSync(MODULE, "utf8"));
  worker = spawnWorker({
    CAIRN_TEST_DB: databaseUrl(), CAIRN_TEST_SCHEMA: env.schema, CAIRN_TEST_MODULE: MODULE, CAIRN_TEST_CONCURRENCY: "50",
  });
  await worker.ready;
  await new Promise((r) => setTimeout(r, 1500)); // let the worker settle before the baseline
  const pid = worker.child.pid!;
  const before = rssMb(pid);

  const sleepMs = 20_000;
  const started = Date.now();
  for (let i = 0; i < N; i += 1000) {
    const inputs = Array.from({ length: 1000 }, (_, k) => ({ n: i + k, ms: sleepMs }));
    await env.client.startMany(artifact, inputs);
  }
  const s = `"${env.schema}"`;
  const [{ sleeping }] = await env.db.query<{ sleeping: number }>(`SELECT count(*)::int AS sleeping FROM ${s}.instances WHERE status = 'sleeping'`);
  expect(sleeping).toBe(N);
  // Give the worker several poll cycles with all of them asleep, then measure.
  await new Promise((r) => setTimeout(r, 3000));
  const during = rssMb(pid);
  expect(Date.now() - started).toBeLessThan(sleepMs); // still measured while they all sleep
  expect(during - before).toBeLessThan(25);

  const deadline = Date.now() + 150_000;
  for (;;) {
    const [{ done }] = await env.db.query<{ done: number }>(`SELECT count(*)::int AS done FROM ${s}.instances WHERE status = 'completed'`);
    if (done === N) break;
    if (Date.now() > deadline) throw new Error(`only ${done} of ${N} finished in time`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const [check] = await env.db.query<{ wrong: number; early: number }>(
    `SELECT count(*) FILTER (WHERE (result::text)::int <> (input->>'n')::int * 2)::int AS wrong,
            (SELECT count(*)::int FROM ${s}.history h JOIN ${s}.history w ON w.instance_id = h.instance_id
              WHERE h.kind = 'sleeping' AND w.kind = 'woke' AND w.at < (h.data->>'until')::timestamptz) AS early
       FROM ${s}.instances`,
  );
  expect(check).toEqual({ wrong: 0, early: 0 });
  console.error(`[sleepers] worker RSS ${before.toFixed(1)} MB before, ${during.toFixed(1)} MB with ${N} asleep`);
}, 240_000);
