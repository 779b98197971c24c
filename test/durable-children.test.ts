/**
 * Child workflows on a real Postgres and a real worker: results and errors (by
 * class ancestry) reach the parent's call, fan-out, cancellation cascading to the
 * children, recursion with its depth guard, parent and children in status.
 * Hand-built IR: the runtime is tested apart from the compiler.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { awaitOne, block, child, ret, v, workflow } from "./helpers/ir-builders.ts";
import { charge, depthError, fanOut, pay, rec, shop, waiter, waitMany } from "./helpers/wait-workflows.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "kid");
  await env.startWorker({ actions: [charge] });
});
afterAll(() => env?.close());

beforeAll(async () => {
  for (const a of [pay, waiter, rec]) await env.client.engine.register(a);
});

describe("child workflows", () => {
  test("the parent's call yields the child's result; parent and child are linked in status", async () => {
    const h = await env.client.start(shop, { amount: 5 });
    expect(await h.result({ timeoutMs: 5000 })).toBe("receipt-5");
    const status = await h.status();
    expect(status.children).toEqual([{ id: expect.any(String), workflow: "pay", status: "completed", callId: "k1" }]);
    const kid = await env.client.status(status.children[0].id);
    expect(kid.parent).toEqual({ id: h.id, callId: "k1" });
    expect(kid.result).toBe("receipt-5");
  });

  test("a child failing with a subclass rejects the parent's call with the same class", async () => {
    const h = await env.client.start(shop, { amount: 500 });
    expect(await h.result({ timeoutMs: 5000 })).toEqual({ declined: true, payment: true, message: "declined: 500" });
  });

  test("100 children fanned out and joined", async () => {
    const h = await env.client.start(fanOut, { n: 100 });
    expect(await h.result({ timeoutMs: 30_000 })).toEqual(Array.from({ length: 100 }, (_, i) => `receipt-${i}`));
    const [row] = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".instances WHERE parent_id = $1`, [h.id]);
    expect(row.n).toBe(100);
  }, 40_000);

  test("cancelling a parent cancels its unfinished children", async () => {
    const h = await env.client.start(waitMany, { n: 10 });
    await expect.poll(async () => (await h.status()).children.length).toBe(10);
    await h.cancel("stop");
    const kids = await env.db.query<{ status: string }>(`SELECT status FROM "${env.schema}".instances WHERE parent_id = $1`, [h.id]);
    expect(kids.map((k) => k.status)).toEqual(Array(10).fill("cancelled"));
    const [tasks] = await env.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${env.schema}".tasks t JOIN "${env.schema}".instances i ON i.id = t.instance_id
        WHERE i.parent_id = $1 AND t.status IN ('ready', 'running', 'waiting')`,
      [h.id],
    );
    expect(tasks.n).toBe(0);
  });

  test("a workflow that starts itself recurses, and a runaway recursion fails with ChildDepthError", async () => {
    const h = await env.client.start(rec, { n: 5 });
    expect(await h.result({ timeoutMs: 10_000 })).toBe(5);
    const deep = await env.client.start(rec, { n: 150 });
    await expect(deep.result({ timeoutMs: 60_000 })).rejects.toThrow(depthError);
  }, 70_000);

  test("a child of an unknown workflow rejects the call with a clear error", async () => {
    const orphan = workflow([], [block(ret(v("r")), [child("k1", "nowhere", [], "%h"), awaitOne(v("%h"), "r")])], { name: "orphan" });
    const h = await env.client.start(orphan, {});
    await expect(h.result({ timeoutMs: 5000 })).rejects.toThrow("no workflow named nowhere is registered (workflow orphan starts it as a child)");
  });
});
