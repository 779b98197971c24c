/** The 10-way fan-out workflow of the runtime benchmark: one Promise.all over ten no-op actions. */
import { action, workflow } from "cairnjs";

export const leaf = action("fanLeaf", async (n: number, i: number): Promise<number> => n + i);

export const fanout10 = workflow(async function fanout10(n: number) {
  const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
  const ys = await Promise.all(xs.map((i) => leaf(n, i)));
  return ys.length;
});
