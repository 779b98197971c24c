/**
 * Messages, published values and child workflows in memory (startLocal / runLocal),
 * with the workflows the durable tests run, and the same answers: a unit test can
 * drive a human-in-the-loop workflow without a database.
 */
import { describe, expect, test } from "vitest";
import { startLocal, runLocal } from "../runtime/local/run-local.ts";
import { virtualClock } from "../runtime/runner/clock.ts";
import { MessageRejectedError } from "../runtime/api/errors.ts";
import { awaitOne, block, lit, mem, obj, prop, ret, send, v, workflow } from "./helpers/ir-builders.ts";
import { approval, charge, collector, depthError, fanOut, pause, pay, rec, shop } from "./helpers/wait-workflows.ts";

describe("messages in memory", () => {
  test("a test drives an approval: waits for the published stage, sends the answer, reads the result", async () => {
    const run = startLocal(approval(null), { id: "o1" }, { actions: [pause] });
    expect(await run.waitPublished("stage")).toBe("waiting");
    run.send("approval", { ok: true });
    expect(await run.result()).toBe("approved");
    expect(run.published()).toEqual({ stage: "done" });
    expect(() => run.send("approval", { ok: false })).toThrow(MessageRejectedError);
  });

  test("messages given up front are kept until received, in order", async () => {
    const messages = [1, 2, 3].map((message) => ({ topic: "t", message }));
    expect(await runLocal(collector, { n: 3 }, { actions: [], messages })).toEqual([1, 2, 3]);
    expect(await runLocal(approval(null, 20), { id: "o2" }, { actions: [pause], messages: [{ topic: "approval", message: { ok: false } }] })).toBe("rejected");
  });

  test("the timeout gives null (instantly on a virtual clock, never early on the real one)", async () => {
    expect(await runLocal(approval(86_400_000), { id: "o3" }, { actions: [pause], clock: virtualClock() })).toBe("timeout");
    const began = Date.now();
    expect(await runLocal(approval(200), { id: "o3" }, { actions: [pause] })).toBe("timeout");
    expect(Date.now() - began).toBeGreaterThanOrEqual(200);
  });

  test("a send to an instance outside the run rejects with MessageRejectedError", async () => {
    const sender = workflow(["peer"], [
      block(ret(lit("sent")), [send("s1", v("peer"), lit("t"), lit(1), "%s"), awaitOne(v("%s"), null)], { block: 1, bind: "e" }),
      block(ret(obj(prop("name", mem(v("e"), "name")), prop("message", mem(v("e"), "message"))))),
    ], { name: "sender" });
    expect(await runLocal(sender, { peer: "elsewhere" }, { actions: [] })).toEqual({
      name: "MessageRejectedError", message: "no workflow instance elsewhere in this local run",
    });
  });
});

describe("children in memory", () => {
  const actions = [charge];
  test("results, subclass errors, fan-out and recursion give what the durable runtime gives", async () => {
    expect(await runLocal(shop, { amount: 5 }, { actions, workflows: [pay] })).toBe("receipt-5");
    expect(await runLocal(shop, { amount: 500 }, { actions, workflows: [pay] })).toEqual({ declined: true, payment: true, message: "declined: 500" });
    expect(await runLocal(fanOut, { n: 100 }, { actions, workflows: [pay] })).toEqual(Array.from({ length: 100 }, (_, i) => `receipt-${i}`));
    expect(await runLocal(rec, { n: 5 }, { actions: [] })).toBe(5);
    await expect(runLocal(rec, { n: 150 }, { actions: [] })).rejects.toThrow(depthError);
  });

  test("a child the run was not given fails the call (which the workflow may catch) with a clear error", async () => {
    expect(await runLocal(shop, { amount: 5 }, { actions })).toEqual({
      declined: false, payment: false,
      message: "workflow shop starts workflow pay as a child, which was not given to the local run (its workflows option)",
    });
  });
});
