/** The sleep benchmark's workflow: a durable sleep, then one no-op action. */
import { action, sleep, workflow } from "cairnjs";

export const wakeUp = action("wakeUp", async (n: number): Promise<number> => n);

export const sleepy = workflow(async function sleepy(n: number, ms: number) {
  await sleep(ms);
  return await wakeUp(n);
});
