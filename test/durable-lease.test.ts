/**
 * A worker that stalled past its lease must not apply its late result: the task
 * went back to the queue and belongs to the attempt that claimed it next. Batches
 * mixing held and lost tasks apply exactly the held ones.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "lease");
});
afterAll(() => env?.close());

test("a lost lease applies nothing; the new holder's result is applied once", async () => {
  const { artifact } = await inlineWorkflow("lease_pair", `
    import { action, workflow } from "cairnjs";
    export const one = action(async function one(x: number) { return x + 1; });
    export const pair = workflow(async function pair(a: number, b: number) {
      return await Promise.all([one(a), one(b)]);
    });
  `);
  const { q, db } = { q: env.client.engine.q, db: env.db };
  const run = await env.client.start(artifact, { a: 1, b: 10 });
  const first = await q.claimTasks(db, "worker-a", ["one"], 10, 60_000);
  expect(first.map((t) => [t.call_id, t.attempt])).toEqual([["c1", 1], ["c2", 1]]);
  // worker-a stalls; its lease on c2 expires and worker-b takes that task over.
  await db.query(`UPDATE "${env.schema}".tasks SET lease_until = clock_timestamp() - interval '1 second' WHERE call_id = 'c2'`);
  expect((await q.releaseExpired(db)).map((r) => r.call_id)).toEqual(["c2"]);
  const second = await q.claimTasks(db, "worker-b", ["one"], 10, 60_000);
  expect(second.map((t) => [t.call_id, t.attempt])).toEqual([["c2", 2]]);

  const engine = env.client.engine;
  const late = await engine.completeMany("worker-a", [
    { task: first[0], outcome: { ok: true, value: 2 } },
    { task: first[1], outcome: { ok: true, value: 999 } },
  ]);
  expect([...late.applied]).toEqual([`${run.id}:c1`]);
  expect(await engine.complete(second[0], "worker-b", { ok: true, value: 11 })).toBe(true);
  expect(await env.client.result(run.id, { timeoutMs: 5000 })).toEqual([2, 11]);
  const resolved = await db.query<{ call_id: string; data: { attempt: number } }>(
    `SELECT call_id, data FROM "${env.schema}".history WHERE instance_id = $1 AND kind = 'resolved' ORDER BY seq`, [run.id],
  );
  expect(resolved.map((r) => [r.call_id, r.data.attempt])).toEqual([["c1", 1], ["c2", 2]]);
});

test("a stale cached state is detected by the version check and the step redone from the row", async () => {
  const { artifact } = await inlineWorkflow("lease_chain", `
    import { action, workflow } from "cairnjs";
    export const inc = action(async function inc(x: number) { return x + 1; });
    export const chain = workflow(async function chain(a: number) {
      const b = await inc(a);
      return await inc(b);
    });
  `);
  const engine = env.client.engine;
  const { q } = engine;
  const db = env.db;
  const run = await env.client.start(artifact, { a: 1 });
  const [t1] = await q.claimTasks(db, "w", ["inc"], 10, 60_000);
  const row = (await q.instance(db, run.id))!;
  // The claim reads the instance along with the task, for the worker's cache.
  expect(t1.instance).toEqual({ hash: row.hash, version: row.version, state: row.state, trace: null });
  // A cache entry from an older version, as if another worker had stepped the instance since.
  const cache = new Map([[run.id, { hash: row.hash, version: row.version - 1, state: row.state, trace: null }]]);
  const claim = { actions: new Set(["inc"]), max: 5, leaseMs: 60_000 };
  const r1 = await engine.completeMany("w", [{ task: t1, outcome: { ok: true, value: 2 } }], claim, cache);
  expect([...r1.applied]).toEqual([`${run.id}:c1`]);
  expect(r1.local.map((t) => [t.call_id, t.args])).toEqual([["c2", [2]]]);
  // Redone under the lock, the step cached the state it wrote; the next step runs from memory.
  expect(cache.get(run.id)?.version).toBe(row.version + 1);
  const r2 = await engine.completeMany("w", [{ task: { ...r1.local[0], attempt: 1 }, outcome: { ok: true, value: 3 } }], claim, cache);
  expect([...r2.applied]).toEqual([`${run.id}:c2`]);
  expect(cache.has(run.id)).toBe(false);
  expect(await env.client.result(run.id, { timeoutMs: 5000 })).toBe(3);
  const kinds = await db.query<{ kind: string; call_id: string | null }>(
    `SELECT kind, call_id FROM "${env.schema}".history WHERE instance_id = $1 ORDER BY seq`, [run.id],
  );
  expect(kinds.map((k) => `${k.kind}${k.call_id ? " " + k.call_id : ""}`)).toEqual([
    "started", "dispatched c1", "waiting", "attempt c1", "resolved c1", "dispatched c2", "waiting", "attempt c2", "resolved c2", "completed",
  ]);
});

test("siblings of a fan-out claimed together complete from memory, one after the other", async () => {
  const { artifact } = await inlineWorkflow("lease_fan", `
    import { action, workflow } from "cairnjs";
    export const twice = action(async function twice(x: number) { return x * 2; });
    export const fan = workflow(async function fan(a: number) {
      return await Promise.all([twice(a), twice(a + 1), twice(a + 2)]);
    });
  `);
  const engine = env.client.engine;
  const { q } = engine;
  const db = env.db;
  const run = await env.client.start(artifact, { a: 1 });
  const tasks = await q.claimTasks(db, "w", ["twice"], 10, 60_000);
  expect(tasks.map((t) => t.call_id).sort()).toEqual(["c1", "c2", "c3"]);
  const v0 = (await q.instance(db, run.id))!.version;
  const cache = new Map([[run.id, tasks[0].instance!]]);
  const byCall = new Map(tasks.map((t) => [t.call_id, t]));
  for (const [i, call] of ["c2", "c1", "c3"].entries()) {
    const r = await engine.completeMany("w", [{ task: byCall.get(call)!, outcome: { ok: true, value: Number(call[1]) * 10 } }], undefined, cache);
    expect([...r.applied]).toEqual([`${run.id}:${call}`]);
    // Each write bumped the version it read from memory; a finished instance is dropped.
    expect(cache.get(run.id)?.version).toBe(i < 2 ? v0 + i + 1 : undefined);
  }
  expect(await env.client.result(run.id, { timeoutMs: 5000 })).toEqual([10, 20, 30]);
  // One "waiting" event: a sibling resolving while the join still waits adds none.
  const kinds = await db.query<{ kind: string; call_id: string | null }>(
    `SELECT kind, call_id FROM "${env.schema}".history WHERE instance_id = $1 ORDER BY seq`, [run.id],
  );
  expect(kinds.map((k) => `${k.kind}${k.call_id ? " " + k.call_id : ""}`)).toEqual([
    "started", "dispatched c1", "dispatched c2", "dispatched c3", "waiting", "attempt c1", "attempt c2", "attempt c3",
    "resolved c2", "resolved c1", "resolved c3", "completed",
  ]);
  // A task whose instance is no longer running is claimed without a state to cache.
  const done = await env.client.start(artifact, { a: 5 });
  await done.cancel();
  await db.query(`UPDATE "${env.schema}".tasks SET status = 'ready' WHERE instance_id = $1`, [done.id]);
  const late = await q.claimTasks(db, "w", ["twice"], 10, 60_000);
  expect(late.map((t) => t.instance)).toEqual([null, null, null]);
});
