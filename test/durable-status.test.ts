/** `client.status()` (and so `cairn status <id>`): the history in the order it happened. */
import { afterAll, beforeAll, expect, test } from "vitest";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "status");
});
afterAll(() => env?.close());

test("the history is in the order it was written, past ten events (seq compared as a number, not as text)", async () => {
  const { artifact, actions } = await inlineWorkflow("status_order", `
    import { action, workflow } from "cairnjs";
    export const step = action(async function step(n: number) { return n + 1; });
    export const ordered = workflow(async function ordered(n: number) {
      let x = n;
      for (let i = 0; i < 5; i++) x = await step(x);
      return x;
    });
  `);
  await env.startWorker({ actions });
  const run = await env.client.start(artifact, { n: 0 });
  expect(await run.result()).toBe(5);
  const { history } = await env.client.status(run.id);
  expect(history.length).toBeGreaterThan(12);
  expect(history[0]!.kind).toBe("started");
  expect(history.at(-1)!.kind).toBe("completed");
  const [rows] = [await env.db.query<{ kind: string }>(`SELECT kind FROM "${env.schema}".history WHERE instance_id = $1 ORDER BY seq`, [run.id])];
  expect(history.map((h) => h.kind)).toEqual(rows.map((r) => r.kind));
  await env.stopWorkers();
});
