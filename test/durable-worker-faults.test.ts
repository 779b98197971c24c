/**
 * A worker that meets hostile thrown values, a stall past its lease, hung actions
 * and restarts: it keeps serving, never starts work it no longer holds, and an
 * action that never finishes cannot run forever.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Db } from "../runtime/store/db.ts";
import { Worker } from "../runtime/durable/worker.ts";
import { action } from "../runtime/index.ts";
import { durableEnv, FAST_RETRY, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "wfault");
});
afterAll(() => env?.close());

const history = async (id: string) =>
  env.db.query<{ kind: string; call_id: string | null; data: Record<string, unknown> | null }>(
    `SELECT kind, call_id, data FROM "${env.schema}".history WHERE instance_id = $1 ORDER BY seq`, [id],
  );

/** Values a careless or hostile action might throw. */
function hostile(): fc.Arbitrary<() => unknown> {
  const throwingGetter = fc.constant(() => {
    const e = new Error("getter");
    Object.defineProperty(e, "boom", { enumerable: true, get() { throw new Error("no"); } });
    return e;
  });
  const proxy = fc.constant(() => new Proxy(new Error("proxy"), {
    get() { throw new Error("trap"); },
    getPrototypeOf() { throw new Error("trap"); },
    ownKeys() { throw new Error("trap"); },
  }));
  const revoked = fc.constant(() => { const r = Proxy.revocable({}, {}); r.revoke(); return r.proxy; });
  const badToString = fc.constant(() => ({ toString() { throw new Error("no string"); }, valueOf() { throw new Error("no value"); } }));
  const toJSON = fc.constant(() => Object.assign(new Error("json"), { data: { toJSON() { throw new Error("no json"); } } }));
  const badName = fc.constant(() => Object.assign(new Error("x"), { name: { toString() { throw new Error("n"); } } }));
  const nulMessage = fc.string().map((s) => () => new Error(`${s}\u0000\ud800`));
  const primitive = fc.oneof(fc.string(), fc.integer(), fc.constant(null), fc.constant(undefined), fc.boolean(), fc.constant(Symbol("s")), fc.bigInt())
    .map((v) => () => v);
  const cyclic = fc.constant(() => { const e = new Error("cycle") as Error & { self?: unknown }; e.self = e; return e; });
  const huge = fc.constant(() => Object.assign(new Error("huge"), { blob: "x".repeat(300_000) }));
  const plain = fc.dictionary(fc.string(), fc.jsonValue()).map((o) => () => o);
  return fc.oneof(throwingGetter, proxy, revoked, badToString, toJSON, badName, nulMessage, primitive, cyclic, huge, plain);
}

describe("hostile thrown values", () => {
  test("whatever an action throws, the worker keeps serving and the call fails with a storable error", async () => {
    const { artifact, actions } = await inlineWorkflow("wfault_hostile", `
      import { action, workflow, runAction } from "cairnjs";
      export const thrower = action(async function thrower(i: number) { return i; });
      export const throwing = workflow(async function throwing(i: number) {
        try { return await runAction(thrower(i), { retry: { attempts: 1 } }); }
        catch (e) { return "caught"; }
      });
    `);
    const makers: Array<() => unknown> = [];
    // The real action is replaced by one throwing the generated values, by index.
    const thrower = action("thrower", async (i: number) => { throw makers[i](); });
    const crashed: unknown[] = [];
    const onCrash = (e: unknown) => crashed.push(e);
    process.on("uncaughtException", onCrash);
    process.on("unhandledRejection", onCrash);
    try {
      await env.startWorker({ actions: [thrower] });
      void actions;
      await fc.assert(
        fc.asyncProperty(fc.array(hostile(), { minLength: 1, maxLength: 8 }), async (batch) => {
          const first = makers.length;
          makers.push(...batch);
          const runs = await Promise.all(batch.map((_, k) => env.client.start(artifact, { i: first + k })));
          const results = await Promise.all(runs.map((r) => r.result({ timeoutMs: 20_000 })));
          expect(results).toEqual(batch.map(() => "caught"));
        }),
        { numRuns: 15 },
      );
      expect(crashed).toEqual([]);
      const [row] = await env.db.query<{ n: number }>(`SELECT max(length(data::text))::int AS n FROM "${env.schema}".history WHERE kind = 'resolved'`);
      expect(row.n).toBeLessThan(70_000);
    } finally {
      process.off("uncaughtException", onCrash);
      process.off("unhandledRejection", onCrash);
      await env.stopWorkers();
    }
  });
});

describe("leases", () => {
  test("a claim that comes back after the lease ran out is not started; another worker runs each call once", async () => {
    const { artifact } = await inlineWorkflow("wfault_stall", `
      import { action, workflow } from "cairnjs";
      export const count = action(async function count(i: number) { return i; });
      export const stalled = workflow(async function stalled(i: number) { return await count(i); });
    `);
    const ran: string[] = [];
    const counting = (who: string) => action("count", async (i: number) => { ran.push(`${who}:${i}`); return i; });
    // Worker A's claims reach it only after its lease is over, as after a pause.
    const slow: Db = new Proxy(env.db, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver) as unknown;
        if (prop !== "query") return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
        return async (sql: string, params?: unknown[]) => {
          const rows = await target.query(sql, params);
          if (sql.includes("claim_tasks")) await new Promise((r) => setTimeout(r, 700));
          return rows;
        };
      },
    });
    const events: string[] = [];
    const a = new Worker(slow, {
      actions: [counting("a")], schema: env.schema, migrate: false, leaseMs: 400, pollMs: 100, defaultRetry: FAST_RETRY,
      onEvent: (e) => { if (e.type === "lease-lost") events.push(e.callId); },
    });
    const runs = await Promise.all([1, 2, 3].map((i) => env.client.start(artifact, { i })));
    await a.start();
    await new Promise((r) => setTimeout(r, 200));
    const b = await env.startWorker({ actions: [counting("b")], leaseMs: 400, pollMs: 100 });
    expect(await Promise.all(runs.map((r) => r.result()))).toEqual([1, 2, 3]);
    await a.stop(1000);
    await b.stop(1000);
    expect(ran.filter((r) => r.startsWith("a:"))).toEqual([]);
    expect(ran.sort()).toEqual(["b:1", "b:2", "b:3"]);
    expect(events.length).toBeGreaterThan(0);
  });
});

describe("hung actions and restarts", () => {
  let hang: { artifact: Parameters<DurableEnv["client"]["start"]>[0]; actions: unknown[] };
  beforeAll(async () => {
    hang = await inlineWorkflow("wfault_hang", `
      import { action, workflow, runAction } from "cairnjs";
      export const forever = action(async function forever() { await new Promise(() => {}); });
      export const quick = action(async function quick(n: number) { return n + 1; });
      export const hangs = workflow(async function hangs(n: number) {
        if (n === 0) { await runAction(forever(), { retry: { attempts: 2, delay: 1 } }); return "finished"; }
        return await quick(n);
      });
    `);
  });

  test("a release at shutdown keeps the attempt count and is recorded; the last attempt's interruption fails the call", async () => {
    const run = await env.client.start(hang.artifact, { n: 0 });
    for (let restart = 0; restart < 2; restart++) {
      const w = await env.startWorker({ actions: hang.actions });
      for (let i = 0; i < 100 && w.busy === 0; i++) await new Promise((r) => setTimeout(r, 20));
      expect(w.busy).toBe(1);
      await env.stopWorkers(); // grace 1 s, then the hung attempt is released
    }
    await env.startWorker({ actions: hang.actions });
    await expect(run.result()).rejects.toMatchObject({
      name: "WorkerStoppedError",
      message: expect.stringMatching(/^the worker .* stopped during this attempt \(attempt 2 of 2, no attempts left\)$/),
    });
    const h = await history(run.id);
    expect(h.filter((e) => e.kind === "attempt").map((e) => e.data?.attempt)).toEqual([1, 2, 3]);
    expect(h.filter((e) => e.kind === "released").map((e) => e.data?.attempt)).toEqual([1, 2]);
    await env.stopWorkers();
  });

  test("the worker's default action timeout frees the slot a hung action holds", async () => {
    await env.startWorker({ actions: hang.actions, concurrency: 1, actionTimeoutMs: 300 });
    const hung = await env.client.start(hang.artifact, { n: 0 });
    const other = await env.client.start(hang.artifact, { n: 41 });
    expect(await other.result({ timeoutMs: 10_000 })).toBe(42);
    await expect(hung.result()).rejects.toMatchObject({ name: "ActionTimeoutError", message: "action 'forever' timed out after 300ms" });
    await env.stopWorkers();
  });
});
