/**
 * Hand-built workflows that wait on the world (messages, children), shared by the
 * in-memory and the durable tests so both runtimes are held to the same answers.
 */
import { action } from "../../runtime/api/action.ts";
import {
  arr, assign, awaitAll, awaitOne, bin, block, branch, callAwait, child, cond, isErr, jump, lit, mem, obj, prop, publish, push, receive, ret, v, workflow,
} from "./ir-builders.ts";

export const pause = action(async function pause(ms: number) {
  await new Promise((r) => setTimeout(r, ms));
  return ms;
});

class PaymentError extends Error {
  override name = "PaymentError";
}
class PaymentDeclined extends PaymentError {
  override name = "PaymentDeclined";
}
export const charge = action(async function charge(amount: number) {
  if (amount > 100) throw new PaymentDeclined(`declined: ${amount}`);
  return `receipt-${amount}`;
});

/** publish("stage", "waiting"); m = await receive("approval", { timeout }); publish("stage", "done"); return m === null ? "timeout" : m.ok ? "approved" : "rejected" */
export function approval(timeout: number | null, firstPauseMs = 0) {
  return workflow(["id"], [
    block(ret(cond(bin("===", v("m"), lit(null)), lit("timeout"), cond(mem(v("m"), "ok"), lit("approved"), lit("rejected")))), [
      ...(firstPauseMs > 0 ? [callAwait("c0", "pause", [lit(firstPauseMs)], null)] : []),
      publish(lit("stage"), lit("waiting")),
      receive("r1", lit("approval"), "%h", timeout === null ? {} : { timeout: lit(timeout) }),
      awaitOne(v("%h"), "m"),
      publish(lit("stage"), lit("done")),
    ]),
  ], { name: `approval_${timeout}_${firstPauseMs}` });
}

/** Receives `n` messages on "t" in a loop and returns them in the order received. */
export const collector = workflow(["n"], [
  block(jump(1), [assign("i", lit(0)), assign("out", arr())]),
  block(branch(bin("<", v("i"), v("n")), 2, 3)),
  block(jump(1), [receive("r1", lit("t"), "%h", { iter: ["i"] }), awaitOne(v("%h"), "m"), push("out", arr(v("m"))), assign("i", bin("+", v("i"), lit(1)))]),
  block(ret(v("out"))),
], { name: "collector" });

export const pay = workflow(["amount"], [block(ret(v("r")), [callAwait("c1", "charge", [v("amount")], "r")])], { name: "pay" });

/** try { return await pay(amount) } catch (e) { return { declined: e instanceof PaymentDeclined, payment: e instanceof PaymentError, message: e.message } } */
export const shop = workflow(["amount"], [
  block(ret(v("r")), [child("k1", "pay", [v("amount")], "%h"), awaitOne(v("%h"), "r")], { block: 1, bind: "e" }),
  block(ret(obj(
    prop("declined", isErr(v("e"), "PaymentDeclined")), prop("payment", isErr(v("e"), "PaymentError")), prop("message", mem(v("e"), "message")),
  ))),
], { name: "shop" });

/** Starts `n` children `pay(i)` in a loop, then awaits them all. */
export const fanOut = workflow(["n"], [
  block(jump(1), [assign("i", lit(0)), assign("hs", arr())]),
  block(branch(bin("<", v("i"), v("n")), 2, 3)),
  block(jump(1), [child("k1", "pay", [v("i")], "%h", ["i"]), push("hs", arr(v("%h"))), assign("i", bin("+", v("i"), lit(1)))]),
  block(ret(v("all")), [awaitAll(v("hs"), "all")]),
], { name: "fanOut" });

/** A child that waits for a message forever, and a parent of `n` of them. */
export const waiter = workflow([], [block(ret(v("m")), [receive("r1", lit("never"), "%h"), awaitOne(v("%h"), "m")])], { name: "waiter" });
export const waitMany = workflow(["n"], [
  block(jump(1), [assign("i", lit(0)), assign("hs", arr())]),
  block(branch(bin("<", v("i"), v("n")), 2, 3)),
  block(jump(1), [child("k1", "waiter", [], "%h", ["i"]), push("hs", arr(v("%h"))), assign("i", bin("+", v("i"), lit(1)))]),
  block(ret(v("all")), [awaitAll(v("hs"), "all")]),
], { name: "waitMany" });

/** rec(n) = n === 0 ? 0 : (await rec(n - 1)) + 1 */
export const rec = workflow(["n"], [
  block(branch(bin("===", v("n"), lit(0)), 1, 2)),
  block(ret(lit(0))),
  block(ret(bin("+", v("r"), lit(1))), [child("k1", "rec", [bin("-", v("n"), lit(1))], "%h"), awaitOne(v("%h"), "r")]),
], { name: "rec" });

export const depthError = "workflow rec would be a child 101 levels deep, over the limit of 100 (a recursion that does not stop?)";
