/**
 * A worker in a process of its own, for tests that kill it with SIGKILL.
 * Env: CAIRN_TEST_DB (url), CAIRN_TEST_SCHEMA, CAIRN_TEST_MODULE (actions module),
 * CAIRN_TEST_LEASE_MS, CAIRN_TEST_CONCURRENCY, CAIRN_TEST_ATTEMPTS, CAIRN_TEST_TRACE_FILE (spans go
 * there: otel-file-sdk.ts). Prints "ready" once claiming.
 */
import { connectDb } from "../../runtime/store/db.ts";
import { Worker } from "../../runtime/durable/worker.ts";

// Registered before the worker exists, as an application does.
if (process.env.CAIRN_TEST_TRACE_FILE) await import("./otel-file-sdk.ts");
const db = await connectDb(process.env.CAIRN_TEST_DB!, { onError: () => {} });
const actions = (await import(process.env.CAIRN_TEST_MODULE!)) as Record<string, unknown>;
const worker = new Worker(db, {
  actions,
  schema: process.env.CAIRN_TEST_SCHEMA,
  migrate: false,
  leaseMs: Number(process.env.CAIRN_TEST_LEASE_MS ?? 1000),
  pollMs: 200,
  concurrency: Number(process.env.CAIRN_TEST_CONCURRENCY ?? 20),
  // CAIRN_TEST_ATTEMPTS: a test that kills workers often gives calls more tries, since each kill costs the attempts it interrupts.
  defaultRetry: { delay: 10, maxDelay: 50, ...(process.env.CAIRN_TEST_ATTEMPTS ? { attempts: Number(process.env.CAIRN_TEST_ATTEMPTS) } : {}) },
  onEvent: (e) => {
    if (e.type === "error") process.stderr.write(`worker error (${e.where}): ${e.error.message}\n`);
  },
});
await worker.start();
process.stdout.write("ready\n");
const stop = async () => {
  await worker.stop(5000);
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
