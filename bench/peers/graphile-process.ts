/**
 * A graphile-worker runner in a process of its own, serving the benchmark's chain
 * of 3 jobs: step1 and step2 each enqueue the next job (helpers.addJob) and step3
 * ends the chain. The payload carries the time each job ran; step3 reports the
 * chain on stdout ({ type: "done", n, stamps, at }), which is how the orchestrator
 * learns that a chain finished (graphile-worker has no result API).
 * Env: BENCH_DB_URL, BENCH_CONCURRENCY. Prints "ready" once running; stops on SIGTERM.
 */
import { env, loadGraphile, now, report, type GraphileHelpers } from "./api.ts";

const { run, Logger } = await loadGraphile();

interface Payload {
  n: number;
  stamps: number[];
}

const step = (next: string | null) => async (payload: unknown, helpers: GraphileHelpers): Promise<void> => {
  const p = payload as Payload;
  const stamps = [...p.stamps, now()];
  if (next) await helpers.addJob(next, { n: p.n, stamps });
  else report({ type: "done", n: p.n, stamps, at: now() });
};

const runner = await run({
  connectionString: env("BENCH_DB_URL"),
  concurrency: Number(env("BENCH_CONCURRENCY")),
  noHandleSignals: true,
  logger: new Logger(() => (level, message) => {
    if (level === "error") process.stderr.write(`graphile: ${message}\n`);
  }),
  taskList: { step1: step("step2"), step2: step("step3"), step3: step(null) },
});
process.stdout.write("ready\n");
process.once("SIGTERM", () => void runner.stop().then(() => process.exit(0)));
