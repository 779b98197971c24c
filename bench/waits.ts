/**
 * Messages and children (`npm run bench -- --only waits`, or `npm run bench:waits`
 * alone), on the path a user takes: `connect()` and a `Worker` with default options
 * in this process.
 *   - message round trip: `client.send()` of a ping -> the workflow's `receive`
 *     returns it -> it publishes -> `client.waitPublished()` returns; p50 / p99.
 *   - 100-child fan-out: one workflow starts 100 children (one no-op action each)
 *     and joins them; children per second, one at a time and 10 at once.
 * Server: BENCH_DATABASE_URL / DATABASE_URL's server, else the embedded one; in a
 * database of its own (`cairn_waits_bench`, recreated, dropped at the end).
 */
import { join } from "node:path";
import { readFileSync } from "node:fs";
import { validateArtifact, type Artifact } from "../ir-schema/index.ts";
import { compile, formatDiagnostics, nodeResolver } from "../plugin/index.ts";
import { connect, resolveDatabaseUrl } from "../runtime/durable/client.ts";
import { Worker } from "../runtime/durable/worker.ts";
import { BENCH_DIR, REPO_ROOT, dist, dropDatabase, freshDatabase, type Dist } from "./common.ts";
import * as actions from "./workloads/waits.ts";

const DATABASE = "cairn_waits_bench";

export interface WaitsResult {
  roundTrip: Dist;
  fanOut: Array<{ parents: number; children: number; seconds: number; childrenPerSec: number }>;
}

function compileWaits(): Map<string, Artifact> {
  const file = join(BENCH_DIR, "workloads", "waits.ts");
  const result = compile(readFileSync(file, "utf8"), file, nodeResolver(REPO_ROOT), { validate: validateArtifact });
  if (result.diagnostics.length > 0) throw new Error(`waits.ts does not compile cleanly:\n${formatDiagnostics(result.diagnostics, { cwd: REPO_ROOT })}`);
  return new Map(result.workflows.map((w) => [w.name, w]));
}

export async function cairnWaits(serverUrl: string, opts: { pings: number; fanOuts: number }): Promise<WaitsResult> {
  const wf = compileWaits();
  const client = await connect({ url: await freshDatabase(serverUrl, DATABASE) });
  const worker = new Worker(client.db, { actions, workflows: [...wf.values()] });
  await worker.start();
  try {
    const echo = await client.start(wf.get("echo")!, { rounds: opts.pings + 20 });
    const samples: number[] = [];
    for (let i = 0; i < opts.pings + 20; i++) {
      const t0 = performance.now();
      await client.send(echo.id, "ping", { key: `k${i}` });
      await client.waitPublished(echo.id, `k${i}`);
      if (i >= 20) samples.push(performance.now() - t0); // the first 20 warm up
    }
    const fanOut: WaitsResult["fanOut"] = [];
    for (const parents of [1, 10]) {
      const t0 = performance.now();
      for (let round = 0; round < opts.fanOuts; round++) {
        const hs = await Promise.all(Array.from({ length: parents }, (_, p) => client.start(wf.get("fanOut100")!, { base: p * 100 })));
        await Promise.all(hs.map((h) => h.result()));
      }
      const seconds = (performance.now() - t0) / 1000;
      const children = parents * 100 * opts.fanOuts;
      fanOut.push({ parents, children, seconds, childrenPerSec: children / seconds });
    }
    return { roundTrip: dist(samples), fanOut };
  } finally {
    await worker.stop();
    await client.close();
    await dropDatabase(serverUrl, DATABASE);
  }
}

/** The Markdown section of the report. */
export function renderWaits(r: WaitsResult): string {
  const f = (n: number, d = 1) => n.toFixed(d);
  return [
    "## Messages and children",
    "",
    "In-process `Worker` with default options, `connect()` defaults.",
    "",
    "| measurement | p50 | p99 | n |",
    "|---|---:|---:|---:|",
    `| message round trip (send -> receive -> publish -> waitPublished), ms | ${f(r.roundTrip.p50, 2)} | ${f(r.roundTrip.p99, 2)} | ${r.roundTrip.n} |`,
    "",
    "| 100-child fan-out | parents at once | children | seconds | children/s |",
    "|---|---:|---:|---:|---:|",
    ...r.fanOut.map((x) => `| each child one no-op action | ${x.parents} | ${x.children} | ${f(x.seconds, 2)} | ${f(x.childrenPerSec, 0)} |`),
    "",
  ].join("\n");
}

if (process.argv[1] && process.argv[1].endsWith("waits.ts") && !process.argv.includes("--no-main")) {
  const serverUrl = process.env.BENCH_DATABASE_URL ?? (await resolveDatabaseUrl());
  const quick = process.argv.includes("--quick");
  const r = await cairnWaits(serverUrl, { pings: quick ? 100 : 500, fanOuts: quick ? 1 : 3 });
  process.stdout.write(renderWaits(r) + "\n");
  process.exit(0);
}
