/** Near-future work is timed, not polled: a short retry delay is not rounded up to the poll interval. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "timing");
});
afterAll(() => env?.close());

test("a retry 100 ms later runs about 100 ms later with the default 1 s poll interval", async () => {
  const { artifact, actions } = await inlineWorkflow("timing_retry", `
    import { action, actionContext, workflow, runAction } from "cairnjs";
    export const flaky = action(async function flaky() {
      if (actionContext().attempt < 3) throw new Error("not yet");
      return "ok";
    });
    export const timed = workflow(async function timed() {
      return await runAction(flaky(), { retry: { attempts: 3, delay: "100ms", factor: 1 } });
    });
  `);
  await env.startWorker({ actions, pollMs: 1000, defaultRetry: {} });
  const run = await env.client.start(artifact, {});
  expect(await run.result()).toBe("ok");
  const attempts = await env.db.query<{ at: number }>(
    `SELECT (extract(epoch from at) * 1000)::float8 AS at FROM "${env.schema}".history WHERE instance_id = $1 AND kind = 'attempt' ORDER BY seq`, [run.id],
  );
  const gaps = attempts.slice(1).map((a, i) => a.at - attempts[i]!.at);
  expect(gaps).toHaveLength(2);
  for (const gap of gaps) {
    expect(gap).toBeGreaterThanOrEqual(100);
    expect(gap).toBeLessThan(600);
  }
  await env.stopWorkers();
});
