/**
 * The user path in one process: client.start() + handle.result() beside an
 * in-process Worker. Starts of one turn share a statement and fail one by one; the
 * first tasks go straight to the local worker, written already claimed; and a
 * result a local worker produced reaches result() with no read of the row.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Artifact } from "../ir-schema/index.ts";
import { Client } from "../runtime/durable/client.ts";
import { InvalidInputError } from "../runtime/durable/engine.ts";
import type { Db } from "../runtime/store/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
let wf: { artifact: Artifact; actions: unknown[] };
beforeAll(async () => {
  env = await durableEnv("pg", "local");
  wf = await inlineWorkflow("local_path", `
    import { action, workflow } from "cairnjs";
    export const inc = action(async function inc(n: number) { return n + 1; });
    export const sink = action(async function sink(s: string) { return s.length; });
    export const path = workflow(async function path(n: number, big: boolean) {
      if (big) return await sink("x".repeat(2_000_000));
      return await inc(await inc(n));
    });
  `);
});
afterAll(() => env?.close());

/** A Db that counts the statements whose text matches. */
function counting(db: Db, pattern: RegExp): { db: Db; count: () => number } {
  let n = 0;
  const wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (prop === "query") {
        return (sql: string, params?: unknown[]) => {
          if (pattern.test(sql)) n++;
          return target.query(sql, params);
        };
      }
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: wrapped, count: () => n };
}

test("starts made in one turn are written in one statement; a bad input or first step rejects only its own start", async () => {
  const inserts = counting(env.db, /INSERT INTO \S+\.instances/);
  const client = new Client(inserts.db, { schema: env.schema }, false);
  await env.startWorker({ actions: wf.actions });
  const settled = await Promise.allSettled([
    ...Array.from({ length: 40 }, (_, n) => client.start(wf.artifact, { n, big: false })),
    client.start(wf.artifact, { n: 1, big: false, extra: 1 }),
    client.start(wf.artifact, { n: 2, big: true }),
  ]);
  expect(settled.slice(0, 40).every((s) => s.status === "fulfilled")).toBe(true);
  expect(settled[40]).toEqual({ status: "rejected", reason: new InvalidInputError("unknown input 'extra' for workflow path; it takes (n, big)") });
  const big = (settled[41] as PromiseRejectedResult).reason as Error;
  expect([big.name, big.message]).toEqual(["PayloadError", "arguments of action 'sink' (call 'c1') are 2000004 bytes of JSON, over the limit of 1048576"]);
  expect(inserts.count()).toBe(1);
  const handles = settled.slice(0, 40).map((s) => (s as PromiseFulfilledResult<Awaited<ReturnType<Client["start"]>>>).value);
  expect(new Set(handles.map((h) => h.id)).size).toBe(40);
  expect(await Promise.all(handles.map((h) => h.result()))).toEqual(Array.from({ length: 40 }, (_, n) => n + 2));
  await env.stopWorkers();
});

test("with a worker in the process, the first task is written claimed by it and the result needs no read", async () => {
  // A read of the instance's row or of its outcome (what result() reads after a notification).
  const READ = /FROM \S+\.instances WHERE id = (\$1|ANY\(\$1)/;
  const reads = counting(env.db, READ);
  const client = new Client(reads.db, { schema: env.schema }, false);
  const worker = await env.startWorker({ actions: wf.actions });
  const handle = await client.start(wf.artifact, { n: 5, big: false });
  expect(await handle.result()).toBe(7);
  expect(reads.count()).toBe(0);
  const [first] = await env.db.query<{ kind: string; data: { worker: string; attempt: number } }>(
    `SELECT kind, data FROM "${env.schema}".history WHERE instance_id = $1 AND kind = 'attempt' ORDER BY seq LIMIT 1`, [handle.id],
  );
  expect(first.data).toMatchObject({ worker: worker.id, attempt: 1 });
  await env.stopWorkers();
  // A client that cannot see the worker (as from another process): the task waits in
  // the queue for any worker, and result() reads the row once NOTIFY says it finished.
  const apart = counting({ ...env.db, key: undefined, query: env.db.query.bind(env.db), transaction: env.db.transaction.bind(env.db), listen: env.db.listen.bind(env.db) } as Db, READ);
  const remote = new Client(apart.db, { schema: env.schema }, false);
  await env.startWorker({ actions: wf.actions });
  const queued = await remote.start(wf.artifact, { n: 1, big: false });
  expect(await queued.result()).toBe(3);
  expect(apart.count()).toBe(1);
  await env.stopWorkers();
});
