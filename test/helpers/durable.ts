/**
 * A durable runtime on the test server: a fresh schema, a client and a worker. Each
 * test file gets its own schema, so files run in parallel without sharing queues.
 */
import type { Artifact } from "../../ir-schema/index.ts";
import type { Db, DriverName } from "../../runtime/store/db.ts";
import { migrate } from "../../runtime/store/migrate.ts";
import { Client } from "../../runtime/durable/client.ts";
import { Worker, type WorkerOptions } from "../../runtime/durable/worker.ts";
import { dropSchema, freshSchemaName, openTestDb } from "./db.ts";

export interface DurableEnv {
  db: Db;
  schema: string;
  client: Client;
  workers: Worker[];
  startWorker(options: Omit<WorkerOptions, "schema">): Promise<Worker>;
  /** Stops every worker started so far (they would otherwise wake sleepers too). */
  stopWorkers(): Promise<void>;
  close(): Promise<void>;
}

/** Fast retries for tests that exercise failing actions; per-call policies still apply. */
export const FAST_RETRY = { delay: 5, maxDelay: 20 };

export async function durableEnv(driver: DriverName = "pg", prefix = "d"): Promise<DurableEnv> {
  const db = await openTestDb(driver);
  const schema = freshSchemaName(prefix);
  await migrate(db, schema);
  const client = new Client(db, { schema }, false);
  const workers: Worker[] = [];
  return {
    db,
    schema,
    client,
    workers,
    async startWorker(options) {
      const w = new Worker(db, { pollMs: 200, leaseMs: 5000, defaultRetry: FAST_RETRY, ...options, schema, migrate: false });
      await w.start();
      workers.push(w);
      return w;
    },
    async stopWorkers() {
      for (const w of workers.splice(0)) await w.stop(1000);
    },
    async close() {
      for (const w of workers) await w.stop(1000);
      await dropSchema(db, schema);
      await db.close();
    },
  };
}

export type { Artifact };
