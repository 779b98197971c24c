/**
 * A workflow's console calls, run durably: each printed once, after its step has
 * committed, in program order, tagged with the instance; a worker with no event
 * listener prints them to stderr rather than dropping them.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { formatWithOptions } from "node:util";
import type { WorkerEvent } from "../runtime/durable/worker.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "logs");
});
afterAll(() => env?.close());

test("console calls in a workflow reach the worker's logger once each, in order, with the instance", async () => {
  const { artifact, actions } = await inlineWorkflow("logs_durable", `
    import { action, workflow, sleep } from "cairnjs";
    export const double = action(async function double(n: number) { return n * 2; });
    export const logged = workflow(async function logged(n: number) {
      console.log("start", n);
      for (let i = 0; i < 3; i++) {
        const v = await double(i);
        console.info("step %d -> %d", i, v);
      }
      await sleep("50ms");
      console.warn("done", { n, list: [1, 2] });
      return n;
    });
  `);
  const logs: Array<Extract<WorkerEvent, { type: "log" }>> = [];
  await env.startWorker({ actions, onEvent: (e) => { if (e.type === "log") logs.push(e); } });
  const runs = await Promise.all([7, 8].map((n) => env.client.start(artifact, { n })));
  expect(await Promise.all(runs.map((r) => r.result()))).toEqual([7, 8]);
  // The last step's line is printed right after its commit, which result() may see first.
  for (let i = 0; i < 100 && logs.length < 8; i++) await new Promise((r) => setTimeout(r, 20));
  for (const [k, run] of runs.entries()) {
    const n = 7 + k;
    // The first step ran in the client's start(): its line went to the client's logger.
    const mine = logs.filter((l) => l.instanceId === run.id);
    expect(mine.map((l) => [l.workflow, l.entry.level, formatWithOptions({}, ...l.entry.args)])).toEqual([
      ["logged", "info", "step 0 -> 0"],
      ["logged", "info", "step 1 -> 2"],
      ["logged", "info", "step 2 -> 4"],
      ["logged", "warn", `done { n: ${n}, list: [ 1, 2 ] }`],
    ]);
    expect(mine.map((l) => l.entry.callPosition)).toEqual(["l2@0", "l2@1", "l2@2", "l3"]);
  }
  await env.stopWorkers();
});
