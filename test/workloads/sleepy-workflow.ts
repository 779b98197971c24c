/** Workload for the sleep-at-scale test: sleep, then one cheap action. */
import { action, sleep, workflow } from "cairnjs";

export const finish = action(async function finish(n: number): Promise<number> {
  return n * 2;
});

export const sleepy = workflow(async function sleepy(n: number, ms: number) {
  await sleep(ms);
  return await finish(n);
});
