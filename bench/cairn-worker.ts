/**
 * A Cairn worker in a process of its own, as production runs it: the real Worker
 * class, its own connection pool, the actions imported from a workload module.
 * Env: BENCH_DB_URL, BENCH_SCHEMA, BENCH_MODULE (absolute path), BENCH_CONCURRENCY.
 * Prints "ready" once it claims; stops gracefully on SIGTERM.
 */
import { connectDb } from "../runtime/store/db.ts";
import { Worker } from "../runtime/durable/worker.ts";

const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

const db = await connectDb(env("BENCH_DB_URL"), { onError: () => {} });
const actions = (await import(env("BENCH_MODULE"))) as Record<string, unknown>;
const worker = new Worker(db, {
  actions,
  schema: env("BENCH_SCHEMA"),
  migrate: false,
  concurrency: Number(env("BENCH_CONCURRENCY")),
  onEvent: (e) => {
    if (e.type === "error") process.stderr.write(`worker error (${e.where}): ${e.error.message}\n`);
  },
});
await worker.start();
process.stdout.write("ready\n");
const stop = async () => {
  await worker.stop(2000);
  await db.close();
  process.exit(0);
};
process.on("SIGTERM", () => void stop());
process.on("SIGINT", () => void stop());
