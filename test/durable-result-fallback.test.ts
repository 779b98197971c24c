/**
 * result() when the notification that an instance finished never arrives (sent
 * while the client's listening connection was down): the client's sweep finds
 * the end within about a second, with one read per sweep for all its waiters
 * rather than one per waiter per second.
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import { Client } from "../runtime/durable/client.ts";
import type { Db } from "../runtime/store/db.ts";
import { durableEnv, type DurableEnv } from "./helpers/durable.ts";
import { inlineWorkflow } from "./helpers/inline.ts";

let env: DurableEnv;
beforeAll(async () => {
  env = await durableEnv("pg", "fallback");
});
afterAll(() => env?.close());

/**
 * The test database as a client sees it when no notification ever reaches it;
 * counts the reads of outcomes: of many instances at once (the sweep) and of one.
 */
function deafDb(db: Db): Db & { sweeps: number; single: number } {
  const deaf = {
    sweeps: 0,
    single: 0,
    driver: db.driver,
    query: (sql: string, params?: readonly unknown[]) => {
      if (sql.startsWith("SELECT id, status, result, error FROM")) {
        if ((params![0] as string[]).length > 1) deaf.sweeps++;
        else deaf.single++;
      }
      return db.query(sql, params);
    },
    transaction: db.transaction.bind(db),
    listen: async () => async () => {},
    close: async () => {},
  };
  return deaf as Db & { sweeps: number; single: number };
}

test("50 results with every notification lost: all arrive, read by a shared sweep", async () => {
  const { artifact, actions } = await inlineWorkflow("fallback_nap", `
    import { action, workflow, sleep } from "cairnjs";
    export const echo = action(async function echo(n: number) { return n; });
    export const nap = workflow(async function nap(n: number) {
      await sleep("1500ms");
      return await echo(n);
    });
  `);
  await env.startWorker({ actions });
  const deaf = deafDb(env.db);
  // Its own engine and local hub: no worker of this process tells it anything either.
  const client = new Client(deaf, { schema: env.schema }, false);
  try {
    const ids = [];
    for (let n = 0; n < 50; n++) ids.push((await env.client.start(artifact, { n })).id);
    const started = Date.now();
    const results = await Promise.all(ids.map((id) => client.result(id, { timeoutMs: 20_000 })));
    expect(results).toEqual(ids.map((_, n) => n));
    // One batched read per second while anyone waits; each waiter reads its own row
    // when it begins and once more when the sweep wakes it (polling alone, it would
    // read once a second: 50 waiters over ~2 s, 100 reads or more).
    const seconds = Math.ceil((Date.now() - started) / 1000);
    expect(deaf.sweeps).toBeGreaterThan(0);
    expect(deaf.sweeps).toBeLessThanOrEqual(seconds + 1);
    expect(deaf.single).toBeLessThanOrEqual(2 * ids.length);
  } finally {
    await client.close();
  }
});
