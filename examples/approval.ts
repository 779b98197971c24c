import { action, publish, receive, workflow } from "cairnjs";

// Stand-ins for your payment provider.
export const reserve = action(async function reserve(orderId: string): Promise<string> {
  return `hold-${orderId}`;
});
export const capture = action(async function capture(hold: string): Promise<string> {
  return `receipt-${hold}`;
});

/** Takes the payment; the approval workflow runs it as a child instance. */
export const charge = workflow(async function charge(orderId: string) {
  const hold = await reserve(orderId);
  return await capture(hold);
});

/** Waits (durably, for up to three days) for a person to approve the order, then charges it. */
export const approve = workflow(async function approve(orderId: string) {
  publish("stage", "waiting for approval");
  const answer = await receive<{ ok: boolean }>("approval", { timeout: "3d" });
  if (answer === null || !answer.ok) {
    publish("stage", "rejected");
    return { orderId, status: "rejected" };
  }
  publish("stage", "charging");
  const receipt = await charge(orderId);
  publish("stage", "done");
  return { orderId, status: "approved", receipt };
});
