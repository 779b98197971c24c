/**
 * `npm run bench:user`: only the user-path comparison (bench/user-path.ts), printed
 * and written to bench/results/<date>-user-path.md. Options: --quick (small counts),
 * --no-peers (Cairn alone). Server as for `npm run bench`.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, dropDatabase, type BenchContext } from "./common.ts";
import { userPath } from "./user-path.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false }, "no-peers": { type: "boolean", default: false } } });
const started = Date.now();
const ctx: BenchContext = {
  serverUrl: process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres",
  quick: values.quick ?? false,
  concurrency: 20,
  log: (line) => process.stderr.write(`[bench +${((Date.now() - started) / 1000).toFixed(0)}s] ${line}\n`),
};
const counts = values.quick ? { instances: 300, latency: 30, warmup: 5, repeats: 1 } : { instances: 2000, latency: 100, warmup: 10, repeats: 3 };
const report = await userPath(ctx, counts, !values["no-peers"]);
await dropDatabase(ctx.serverUrl, "cairn_user_bench");
process.stdout.write(`${report}\n`);
const dir = join(BENCH_DIR, "results");
mkdirSync(dir, { recursive: true });
const file = join(dir, `${new Date().toISOString().slice(0, 10)}-user-path${values.quick ? "-quick" : ""}.md`);
writeFileSync(file, `${report}\n`);
ctx.log(`written to ${file}`);
process.exit(0);
