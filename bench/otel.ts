/**
 * `npm run bench:otel`: what the OpenTelemetry instrumentation costs on the user
 * path (start() + result() per workflow, in-process Worker, defaults), as steps/s
 * in the same run, systems interleaved, each run in a fresh process:
 *   - baseline: this commit without the instrumentation: a temporary worktree of
 *     HEAD whose runtime/telemetry/telemetry.ts is bench/otel-baseline-telemetry.ts
 *     (the same exports, doing nothing, never calling the API), so the two differ
 *     by the API calls alone (uncommitted changes are not in the worktree: commit first);
 *   - HEAD as it is, no SDK registered (the target: >= 0.97x the baseline);
 *   - HEAD as it is, the SDK registered (spans batched to a dropping exporter,
 *     metrics in memory): for information, that cost is the SDK's.
 * Options: --rounds <n> (default 5), --instances <n> (default 2000).
 * Database: BENCH_DATABASE_URL, else DATABASE_URL.
 */
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { BENCH_DIR, REPO_ROOT, spawnTs } from "./common.ts";
import { compileWorkload } from "./cairn.ts";

const { values } = parseArgs({
  options: { rounds: { type: "string", default: "5" }, instances: { type: "string", default: "2000" } },
});
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres";
const git = (...args: string[]) => execFileSync("git", args, { cwd: REPO_ROOT, encoding: "utf8" }).trim();
const head = git("rev-parse", "--short", "HEAD");

const scratch = mkdtempSync(join(tmpdir(), "cairn-bench-otel-"));
/** A worktree of HEAD (both variants built alike: uncommitted changes are in neither). */
function worktree(name: string): string {
  const dir = join(scratch, name);
  git("worktree", "add", "--detach", dir, "HEAD");
  symlinkSync(join(REPO_ROOT, "node_modules"), join(dir, "node_modules"));
  return dir;
}
const instrumented = worktree("instrumented");
const plain = worktree("baseline");
copyFileSync(join(BENCH_DIR, "otel-baseline-telemetry.ts"), join(plain, "runtime/telemetry/telemetry.ts"));
const artifactFile = join(scratch, "sequence.json");
writeFileSync(artifactFile, JSON.stringify(compileWorkload("sequence").artifact));

const variants = [
  { name: `${head} without the instrumentation (baseline)`, runtime: join(plain, "runtime/index.ts"), sdk: "0" },
  { name: `${head}, no SDK registered`, runtime: join(instrumented, "runtime/index.ts"), sdk: "0" },
  { name: `${head}, SDK registered (batched spans dropped, metrics in memory)`, runtime: join(instrumented, "runtime/index.ts"), sdk: "1" },
];
const samples = variants.map(() => [] as number[]);
try {
  for (let r = 0; r < Number(values.rounds); r++) {
    for (const [i, v] of variants.entries()) {
      const child = spawnTs(join(BENCH_DIR, "otel-process.ts"), {
        BENCH_RUNTIME: v.runtime, BENCH_SDK: v.sdk, BENCH_ARTIFACT: artifactFile, BENCH_DB_URL: url,
        BENCH_SCHEMA: `bench_otel_${process.pid}_${r}_${i}`, BENCH_INSTANCES: values.instances!,
      });
      const { stepsPerSec } = (await child.message("throughput", 300_000)) as { stepsPerSec: number };
      await child.exited;
      samples[i]!.push(stepsPerSec);
      process.stderr.write(`[bench:otel] round ${r + 1}: ${v.name}: ${stepsPerSec.toFixed(0)} steps/s\n`);
    }
  }
} finally {
  for (const dir of [instrumented, plain]) git("worktree", "remove", "--force", dir);
  rmSync(scratch, { recursive: true, force: true });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
const base = median(samples[0]!);
const lines = [
  "## OpenTelemetry cost on the user path",
  "",
  `${values.instances} workflows of 3 no-op steps, each by its own start() and result(), in-process Worker with defaults; median of ${values.rounds} interleaved rounds, each in a fresh process.`,
  "",
  "| runtime | steps/s | vs baseline |",
  "|---|---:|---:|",
  ...variants.map((v, i) => `| ${v.name} | ${median(samples[i]!).toFixed(0)} | ${(median(samples[i]!) / base).toFixed(3)}x |`),
  "",
  `Target: no SDK registered >= 0.97x the baseline: ${(median(samples[1]!) / base).toFixed(3)}x, ${median(samples[1]!) / base >= 0.97 ? "met" : "**not met**"}.`,
];
process.stdout.write(`${lines.join("\n")}\n`);
mkdirSync(join(BENCH_DIR, "results"), { recursive: true });
const file = join(BENCH_DIR, "results", `${new Date().toISOString().slice(0, 10)}-otel.md`);
writeFileSync(file, `${lines.join("\n")}\n`);
process.stderr.write(`[bench:otel] written to ${file}\n`);
