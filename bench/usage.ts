/**
 * What a measurement cost: CPU of processes and of the Postgres backends serving a
 * database (from /proc), machine load, memory, and transactions committed.
 */
import { readdirSync, readFileSync } from "node:fs";
import { waitFor, withAdmin } from "./common.ts";

/** Transactions committed in `database` so far (pg_stat_database; read-only ones included). */
async function xactCommits(serverUrl: string, database: string): Promise<number> {
  return withAdmin(serverUrl, async (c) => {
    await c.query(`SELECT pg_stat_clear_snapshot()`);
    const { rows } = await c.query<{ n: string }>(`SELECT xact_commit::text AS n FROM pg_stat_database WHERE datname = $1`, [database]);
    return Number(rows[0]?.n ?? 0);
  });
}

/**
 * Runs `fn` (which must close its connections to `database` before it returns) and
 * counts the transactions committed in `database` meanwhile. Backends flush their
 * statistics when they exit, so the count is read once they are gone.
 */
export async function countingCommits<T>(serverUrl: string, database: string, fn: () => Promise<T>): Promise<{ value: T; commits: number }> {
  const before = await xactCommits(serverUrl, database);
  const value = await fn();
  await waitFor(
    `connections to ${database} to close`,
    async () => ((await backendPids(serverUrl, database)).length === 0 ? true : undefined),
    10_000,
    100,
  );
  return { value, commits: (await xactCommits(serverUrl, database)) - before };
}

/** Resident set size of a process in MB (from /proc). */
export function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, "utf8").split("\n").find((l) => l.startsWith("VmRSS:"));
  return line ? Number(line.split(/\s+/)[1]) / 1024 : NaN;
}

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** user + system CPU time of a process in ms. */
export function processCpuMs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) * TICK_MS;
  } catch {
    return 0;
  }
}

/** CPU ms of every Postgres server process, by pid. */
function postgresCpuByPid(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (!readFileSync(`/proc/${entry}/stat`, "utf8").includes("(postgres)")) continue;
      out.set(Number(entry), processCpuMs(Number(entry)));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/**
 * Pids of the backends serving `database`, from their process titles
 * ("postgres: <cluster>: <user> <database> <client> <state>"): cheap enough to poll,
 * unlike a connection that asks pg_stat_activity (and forks a backend of its own).
 */
function backendsByTitle(database: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const title = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      if (title.startsWith("postgres: ") && title.split(" ").includes(database)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** Pids of the server backends connected to `database` (the server is shared: other databases' work is not ours). */
export async function backendPids(serverUrl: string, database: string): Promise<number[]> {
  return withAdmin(serverUrl, async (c) =>
    (await c.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE datname = $1`, [database])).rows.map((r) => r.pid),
  );
}

/** Busy and total CPU time of the whole machine in ms (all cores), from /proc/stat. */
export function machineCpuMs(): { busy: number; total: number } {
  const line = readFileSync("/proc/stat", "utf8").split("\n")[0]!;
  const v = line.split(/\s+/).slice(1).map(Number);
  const idle = (v[3] ?? 0) + (v[4] ?? 0);
  const total = v.slice(0, 8).reduce((a, b) => a + b, 0);
  return { busy: (total - idle) * TICK_MS, total: total * TICK_MS };
}

/** CPU spent during a measurement: by the system's processes, by its Postgres backends, and machine load. */
export interface CpuUse {
  /** CPU ms of the measured system's own processes (workers). */
  processMs: number;
  /** CPU ms of this (orchestrating, client) process. */
  clientMs: number;
  /** CPU ms of the Postgres backends serving the benchmark's database. */
  postgresMs: number;
  /** Busy share of all cores, 0..1, whoever used them. */
  machineBusy: number;
}

export function cpuMeter(pids: () => number[], backends: () => Promise<number[]>, database: string): { stop(): Promise<CpuUse> } {
  const startProc = pids().reduce((a, p) => a + processCpuMs(p), 0);
  const startPg = postgresCpuByPid();
  const startMachine = machineCpuMs();
  const startClient = process.cpuUsage();
  // Sampled while the run lasts, not only at its end: a backend whose connection a
  // pool closed mid-run (idle timeout) would otherwise take its CPU time with it.
  const lastSeen = new Map<number, number>();
  const sample = async (ids = backendsByTitle(database)) => {
    const cpu = postgresCpuByPid();
    for (const pid of ids) {
      const ms = cpu.get(pid);
      if (ms !== undefined) lastSeen.set(pid, ms);
    }
  };
  const timer = setInterval(() => void sample().catch(() => {}), 200);
  return {
    async stop() {
      clearInterval(timer);
      const m = machineCpuMs();
      const client = process.cpuUsage(startClient);
      const processMs = pids().reduce((a, p) => a + processCpuMs(p), 0) - startProc;
      await sample([...new Set([...backendsByTitle(database), ...(await backends())])]);
      let postgresMs = 0;
      for (const [pid, ms] of lastSeen) postgresMs += ms - (startPg.get(pid) ?? 0);
      return {
        processMs,
        clientMs: (client.user + client.system) / 1000,
        postgresMs,
        machineBusy: (m.busy - startMachine.busy) / Math.max(1, m.total - startMachine.total),
      };
    },
  };
}

