/**
 * The physical limit: what this Postgres server commits per second when each
 * transaction is a single one-row UPDATE (pgbench, prepared statements, a random
 * row of 100,000 so clients do not queue on one row lock). Every Cairn figure is
 * divided by this, measured in the same run, because the machines are shared.
 */
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { dropDatabase, freshDatabase, type BenchContext } from "./common.ts";
import type { PgbenchResult } from "./types.ts";

const run = promisify(execFile);
const DB = "pgbench_bench";
const ROWS = 100_000;
const SCRIPT = `\\set id random(1, ${ROWS})\nUPDATE bench_rows SET n = n + 1 WHERE id = :id;\n`;

export async function pgbenchAvailable(): Promise<string | null> {
  try {
    const { stdout } = await run("pgbench", ["--version"]);
    return stdout.trim();
  } catch {
    return null;
  }
}

/** Runs the one-row UPDATE script with each client count; `seconds` per run. */
export async function pgbench(ctx: BenchContext, phase: string, clientCounts: number[], seconds: number): Promise<PgbenchResult[]> {
  const url = await freshDatabase(ctx.serverUrl, DB);
  const db = new pg.Client({ connectionString: url });
  await db.connect();
  await db.query(`CREATE TABLE bench_rows (id int PRIMARY KEY, n bigint NOT NULL DEFAULT 0)`);
  await db.query(`INSERT INTO bench_rows (id) SELECT generate_series(1, ${ROWS})`);
  await db.query(`VACUUM ANALYZE bench_rows`);
  await db.end();
  const dir = mkdtempSync(join(tmpdir(), "cairn-pgbench-"));
  const script = join(dir, "update.sql");
  writeFileSync(script, SCRIPT);
  const u = new URL(url);
  const out: PgbenchResult[] = [];
  try {
    for (const clients of clientCounts) {
      const args = [
        "-h", u.hostname, "-p", u.port || "5432", "-U", decodeURIComponent(u.username || "postgres"),
        "-n", "-M", "prepared", "-f", script, "-c", String(clients), "-j", String(Math.min(clients, 2)), "-T", String(seconds),
        DB,
      ];
      const env = { ...process.env, ...(u.password ? { PGPASSWORD: decodeURIComponent(u.password) } : {}) };
      const { stdout } = await run("pgbench", args, { env });
      const tps = /tps = ([\d.]+)/.exec(stdout);
      const lat = /latency average = ([\d.]+) ms/.exec(stdout);
      if (!tps || !lat) throw new Error(`cannot read pgbench output:\n${stdout}`);
      const r: PgbenchResult = { phase, clients, seconds, tps: Number(tps[1]), latencyMs: Number(lat[1]) };
      ctx.log(`pgbench ${phase}, ${clients} client(s): ${r.tps.toFixed(0)} commits/s, ${r.latencyMs.toFixed(2)} ms`);
      out.push(r);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await dropDatabase(ctx.serverUrl, DB);
  }
  return out;
}
