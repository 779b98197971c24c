/**
 * The 3-action sequential workflow of the runtime benchmark. Each action is a no-op
 * that returns the wall-clock time (ms, sub-ms precision) at which it ran, so the
 * instance's result carries the timestamps the latency benchmark needs and the
 * throughput benchmark measures the runtime, not the actions.
 */
import { action, workflow } from "cairnjs";

const stamp = (): number => performance.timeOrigin + performance.now();

export const seqStep1 = action("seqStep1", async (_n: number): Promise<number> => stamp());
export const seqStep2 = action("seqStep2", async (_prev: number): Promise<number> => stamp());
export const seqStep3 = action("seqStep3", async (_prev: number): Promise<number> => stamp());

export const sequence3 = workflow(async function sequence3(n: number) {
  const a = await seqStep1(n);
  const b = await seqStep2(a);
  const c = await seqStep3(b);
  return [a, b, c];
});
