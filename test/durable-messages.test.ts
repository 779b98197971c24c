/**
 * Messages and published values on a real Postgres and a real worker: delivery in
 * send order, exactly once, kept when sent before the wait; timeouts that never
 * fire early; clear errors for instances that cannot receive; waiting on a
 * published value without polling. Hand-built IR: the runtime is tested apart from
 * the compiler.
 */
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { MessageRejectedError } from "../runtime/api/errors.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { arr, awaitAll, awaitOne, block, call, lit, mem, obj, prop, receive, ret, send, v, workflow } from "./helpers/ir-builders.ts";
import { approval, collector, pause } from "./helpers/wait-workflows.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "msg");
  await env.startWorker({ actions: [pause] });
});
afterAll(() => env?.close());

describe("receive", () => {
  test("a message sent while the workflow waits is received; published values follow the steps", async () => {
    const h = await env.client.start(approval(null), { id: "o1" });
    expect(await env.client.waitPublished(h.id, "stage", { timeoutMs: 5000 })).toBe("waiting");
    await env.client.send(h.id, "approval", { ok: true });
    expect(await h.result({ timeoutMs: 5000 })).toBe("approved");
    expect(await env.client.published(h.id)).toEqual({ stage: "done" });
    const status = await h.status();
    expect(status.messages).toEqual([expect.objectContaining({ topic: "approval", message: { ok: true }, receivedBy: "r1" })]);
    expect(status.history.map((e) => e.kind)).toContain("received");
  });

  test("a message sent before the workflow waits is kept until it receives", async () => {
    const h = await env.client.start(approval(null, 300), { id: "o2" });
    await env.client.send(h.id, "approval", { ok: false });
    const status = await h.status();
    expect(status.status).toBe("running");
    expect(status.messages[0].receivedBy).toBeNull();
    expect(await h.result({ timeoutMs: 5000 })).toBe("rejected");
  });

  test("1,000 messages to one instance arrive once each, in send order", async () => {
    const h = await env.client.start(collector, { n: 1000 });
    for (let i = 0; i < 1000; i++) await env.client.send(h.id, "t", i);
    expect(await h.result({ timeoutMs: 60_000 })).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    const [row] = await env.db.query<{ n: number; distinct: number }>(
      `SELECT count(*)::int AS n, count(DISTINCT received_by)::int AS distinct FROM "${env.schema}".messages WHERE instance_id = $1`,
      [h.id],
    );
    expect(row).toEqual({ n: 1000, distinct: 1000 });
  }, 90_000);

  test("the timeout gives null, and never early", async () => {
    const began = Date.now();
    const h = await env.client.start(approval(400), { id: "o3" });
    expect(await h.result({ timeoutMs: 10_000 })).toBe("timeout");
    expect(Date.now() - began).toBeGreaterThanOrEqual(400);
    const kinds = (await h.status()).history.map((e) => e.kind);
    expect(kinds).toContain("receive-timeout");
    // A message after the end is refused.
    await expect(env.client.send(h.id, "approval", { ok: true })).rejects.toThrow(
      new MessageRejectedError(`workflow instance ${h.id} has finished (completed); it receives no more messages`),
    );
  });

  test("a message that beats the timeout is the answer", async () => {
    const h = await env.client.start(approval(5000), { id: "o4" });
    await env.client.send(h.id, "approval", { ok: true });
    expect(await h.result({ timeoutMs: 5000 })).toBe("approved");
  });

  test("unknown instances and bad messages are clear errors that store nothing", async () => {
    await expect(env.client.send("00000000-0000-4000-8000-000000000000", "t", 1)).rejects.toThrow(
      new MessageRejectedError("no workflow instance 00000000-0000-4000-8000-000000000000"),
    );
    await expect(env.client.send("nope", "t", 1)).rejects.toThrow(MessageRejectedError);
    const h = await env.client.start(collector, { n: 1 });
    await expect(env.client.send(h.id, "t", null)).rejects.toThrow("a message cannot be null");
    await expect(env.client.send(h.id, "", 1)).rejects.toThrow("a message topic must be a non-empty string");
    await expect(env.client.send(h.id, "t", () => 1)).rejects.toThrow("message on topic 't'");
    // A repeated idempotency key stores one message.
    await env.client.send(h.id, "t", "once", { idempotencyKey: "k1" });
    await env.client.send(h.id, "t", "once", { idempotencyKey: "k1" });
    expect(await h.result({ timeoutMs: 5000 })).toEqual(["once"]);
    const [row] = await env.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM "${env.schema}".messages WHERE instance_id = $1`, [h.id]);
    expect(row.n).toBe(1);
  });

  test("a receive fanned out beside an action, and an in-workflow send to another instance", async () => {
    // [ms, m] = await Promise.all([pause(50), receive("go")]); await send(peer, "t", m); return [ms, m]
    const fan = workflow(["peer"], [
      block(ret(v("both")), [
        call("c1", "pause", [lit(50)], "%a"),
        receive("r1", lit("go"), "%b"),
        awaitAll(arr(v("%a"), v("%b")), "both"),
        send("s1", v("peer"), lit("t"), mem(v("both"), 1), "%s"),
        awaitOne(v("%s"), null),
      ]),
    ], { name: "fan" });
    const peer = await env.client.start(collector, { n: 1 });
    const h = await env.client.start(fan, { peer: peer.id });
    await env.client.send(h.id, "go", { hello: "world" });
    expect(await h.result({ timeoutMs: 5000 })).toEqual([50, { hello: "world" }]);
    expect(await peer.result({ timeoutMs: 5000 })).toEqual([{ hello: "world" }]);
    // The send is keyed by its call: exactly one message.
    const rows = await env.db.query<{ idempotency_key: string }>(`SELECT idempotency_key FROM "${env.schema}".messages WHERE instance_id = $1`, [peer.id]);
    expect(rows).toEqual([{ idempotency_key: `${h.id}:s1` }]);
  });

  test("an in-workflow send to a finished instance rejects with MessageRejectedError the workflow can catch", async () => {
    const done = await env.client.start(collector, { n: 0 });
    await done.result({ timeoutMs: 5000 });
    const sender = workflow(["peer"], [
      block(ret(lit("sent")), [send("s1", v("peer"), lit("t"), lit(1), "%s"), awaitOne(v("%s"), null)], { block: 1, bind: "e" }),
      block(ret(obj(prop("name", mem(v("e"), "name")), prop("message", mem(v("e"), "message"))))),
    ], { name: "sender" });
    const h = await env.client.start(sender, { peer: done.id });
    expect(await h.result({ timeoutMs: 5000 })).toEqual({
      name: "MessageRejectedError", message: `workflow instance ${done.id} has finished (completed); it receives no more messages`,
    });
  });
});
