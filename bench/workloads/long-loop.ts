/** The long-run benchmark's workflow (bench/long.ts): one instance calling a no-op action n times in sequence. */
import { action, workflow } from "cairnjs";

export const longNoop = action("longNoop", async (_i: number): Promise<void> => {});

export const longLoop = workflow(async function longLoop(n: number) {
  let done = 0;
  for (let i = 0; i < n; i++) {
    await longNoop(i);
    done++;
  }
  return done;
});
