/**
 * `npm run bench:startup`: what the CLI costs to start, on the package as users
 * install it (a copy of this tree with dist/ built by scripts/build.mjs), against
 * a plain `node -e` in the same run:
 * - `cairn worker <bundle> --ir <dir>`: CPU and wall time until its "serving" line;
 * - `cairn --version`: CPU and wall time until it exits;
 * - the same worker run from the TypeScript sources through tsx (cli/source-bin.js,
 *   what `cairn` was before it shipped built), for comparison.
 * Each process measures itself (bench/startup-probe.mjs: process.cpuUsage(), every
 * thread); the median of the rounds, interleaved. Target: <= 300 ms of CPU above
 * the baseline for the worker and for --version.
 * With --install (bench/install-size.ts): packages and MB of a full and of a
 * production install of the packed package.
 *
 * Options: --rounds <n> (default 7), --install. Database: BENCH_DATABASE_URL, else
 * DATABASE_URL (a schema of its own, dropped at the end).
 */
import { spawn } from "node:child_process";
import { parseArgs } from "node:util";
import { join } from "node:path";
import pg from "pg";
import { REPO_ROOT } from "./common.ts";
import { builtPackage, type BuiltPackage } from "./built-package.ts";
import { installSizes, renderInstallSizes } from "./install-size.ts";

const { values } = parseArgs({ options: { rounds: { type: "string", default: "7" }, install: { type: "boolean", default: false } } });
const rounds = Number(values.rounds);
const url = process.env.BENCH_DATABASE_URL ?? process.env.DATABASE_URL;
if (!url) throw new Error("set DATABASE_URL (or BENCH_DATABASE_URL): the worker connects before it is ready");
const schema = `bench_startup_${process.pid}`;
const PROBE = join(REPO_ROOT, "bench/startup-probe.mjs");
const TARGET_MS = 300;

interface Sample {
  cpu: number;
  wall: number;
}

/** Runs `node --import probe <args>` in `cwd` until ready (a stderr line matching `ready`) or exit; what the probe reported. */
function measure(args: string[], cwd: string, ready?: string): Promise<Sample> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", PROBE, ...args], {
      cwd,
      env: { ...process.env, DATABASE_URL: url, CAIRN_SCHEMA: schema, ...(ready ? { CAIRN_PROBE_READY: ready } : {}) },
      stdio: ["ignore", "ignore", "pipe", "pipe"],
    });
    let report = "";
    let stderr = "";
    child.stderr!.on("data", (c: Buffer) => (stderr += c.toString()));
    child.stdio[3]!.on("data", (c: Buffer) => {
      report += c.toString();
      // Ready: stop it (a worker runs until told to).
      if (report.includes("\n")) child.kill("SIGTERM");
    });
    child.once("exit", () => {
      const m = /^cpu ([\d.]+) wall ([\d.]+)/.exec(report);
      if (!m) reject(new Error(`no report from ${args.join(" ")}:\n${stderr}`));
      else resolve({ cpu: Number(m[1]), wall: Number(m[2]) });
    });
  });
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function main(): Promise<void> {
  process.stderr.write("bench:startup: building the package copy and the app bundle\n");
  const built: BuiltPackage = await builtPackage();
  const cases: Array<{ name: string; args: string[]; ready?: string }> = [
    { name: "baseline: node -e (writes a line)", args: ["-e", "process.stderr.write('ready\\n')"], ready: "ready" },
    { name: "cairn worker dist/worker.js --ir dist/cairn", args: [built.bin, "worker", "dist/worker.js", "--ir", "dist/cairn"], ready: " serving " },
    { name: "cairn --version", args: [built.bin, "--version"] },
    { name: "before: the same worker from sources (tsx)", args: [join(REPO_ROOT, "cli/source-bin.js"), "worker", "dist/worker.js", "--ir", "dist/cairn"], ready: " serving " },
  ];
  const samples = cases.map(() => [] as Sample[]);
  try {
    // One warm-up round (file cache, the schema's migration), then interleaved rounds.
    for (let round = 0; round <= rounds; round++) {
      for (const [i, c] of cases.entries()) {
        const s = await measure(c.args, built.app, c.ready);
        if (round > 0) samples[i]!.push(s);
      }
    }
  } finally {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await client.end();
    built.cleanup();
  }
  const cpu = samples.map((s) => median(s.map((x) => x.cpu)));
  const wall = samples.map((s) => median(s.map((x) => x.wall)));
  const lines = [
    `## Startup (median of ${rounds} rounds, CPU = user + system of every thread of the process)`,
    "",
    "| process | CPU ms | wall ms | CPU above baseline | target | |",
    "|---|---:|---:|---:|---:|---|",
    ...cases.map((c, i) => {
      if (i === 0) return `| ${c.name} | ${cpu[0]!.toFixed(0)} | ${wall[0]!.toFixed(0)} | | | |`;
      const above = cpu[i]! - cpu[0]!;
      const target = i < 3 ? `<= ${TARGET_MS}` : "";
      const verdict = i < 3 ? (above <= TARGET_MS ? "met" : "**not met**") : "";
      return `| ${c.name} | ${cpu[i]!.toFixed(0)} | ${wall[i]!.toFixed(0)} | +${above.toFixed(0)} ms (${(cpu[i]! / cpu[0]!).toFixed(2)}x) | ${target} | ${verdict} |`;
    }),
  ];
  if (values.install) lines.push("", ...renderInstallSizes(await installSizes()));
  process.stdout.write(lines.join("\n") + "\n");
}

await main();
