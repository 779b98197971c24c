/**
 * Shared plumbing of the runtime benchmark (`npm run bench`): database URLs and
 * fresh databases, child processes speaking JSON lines, clocks and percentiles.
 * No module-level mutable state.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import pg from "pg";

export const BENCH_DIR = fileURLToPath(new URL(".", import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
// `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a
// SIGKILL of the child would orphan (see test/helpers/processes.ts).
const TSX_LOADER = new URL("../node_modules/tsx/dist/esm/index.mjs", import.meta.url).href;

/** What every measurement gets from run.ts. */
export interface BenchContext {
  /** A URL of the server with rights to create databases (its database part is replaced). */
  serverUrl: string;
  quick: boolean;
  /** Concurrency given to every system's workers (Cairn, DBOS queue, graphile-worker). */
  concurrency: number;
  log: (line: string) => void;
  /** When set, Cairn worker processes run under `node --cpu-prof` and write their profile here. */
  profileDir?: string;
}

/** Wall-clock time in ms with sub-millisecond precision, comparable across processes of this machine. */
export const now = (): number => performance.timeOrigin + performance.now();

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function dbUrl(serverUrl: string, database: string): string {
  const u = new URL(serverUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

export const dbNameOf = (url: string): string => new URL(url).pathname.slice(1);

export async function withAdmin<T>(serverUrl: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: dbUrl(serverUrl, "postgres") });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

/** Drops (forcibly) and creates `name`; returns its URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<string> {
  if (!/^[a-z_][a-z0-9_]*$/.test(name)) throw new Error(`bad database name ${name}`);
  await withAdmin(serverUrl, async (c) => {
    await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${name}`);
  });
  return dbUrl(serverUrl, name);
}

export async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  await withAdmin(serverUrl, (c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
}

export async function serverInfo(serverUrl: string): Promise<Record<string, string>> {
  return withAdmin(serverUrl, async (c) => {
    const rows = (
      await c.query<{ name: string; setting: string }>(
        `SELECT name, setting FROM pg_settings WHERE name IN
           ('server_version', 'fsync', 'synchronous_commit', 'shared_buffers', 'max_connections', 'wal_sync_method')`,
      )
    ).rows;
    return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
  });
}

/** A child process that prints JSON lines (or plain "ready") on stdout. */
export interface Child {
  child: ChildProcess;
  pid: number;
  /** Resolves on the first line "ready". */
  ready: Promise<void>;
  exited: Promise<number | null>;
  onMessage(fn: (msg: Record<string, unknown>) => void): void;
  /** The first message (past or future) whose `type` is `type`. */
  message(type: string, timeoutMs: number): Promise<Record<string, unknown>>;
  stderr(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves when it has exited. */
  stop(graceMs?: number): Promise<void>;
}

export function spawnTs(script: string, env: Record<string, string>, cwd = BENCH_DIR, nodeArgs: string[] = []): Child {
  const child = spawn(process.execPath, [...nodeArgs, "--import", TSX_LOADER, script], {
    cwd,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let err = "";
  let buffer = "";
  const handlers: Array<(msg: Record<string, unknown>) => void> = [];
  // The first message of each type, for message(); later ones go to handlers only.
  const typed = new Map<string, Record<string, unknown>>();
  const waiting: Array<{ type: string; resolve: (m: Record<string, unknown>) => void }> = [];
  let markReady: () => void = () => {};
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    child.once("exit", (code) => reject(new Error(`${script} exited (${code}) before it was ready:\n${err.slice(-3000)}`)));
  });
  ready.catch(() => {});
  child.stderr!.on("data", (c: Buffer) => (err = (err + c.toString()).slice(-20_000)));
  child.stdout!.on("data", (c: Buffer) => {
    buffer += c.toString();
    let nl: number;
    while ((nl = buffer.indexOf("\n")) >= 0) {
      const line = buffer.slice(0, nl).trim();
      buffer = buffer.slice(nl + 1);
      if (line === "ready") markReady();
      else if (line.startsWith("{")) {
        const msg = JSON.parse(line) as Record<string, unknown>;
        const type = String(msg.type);
        if (!typed.has(type)) typed.set(type, msg);
        for (const w of waiting.filter((x) => x.type === type)) w.resolve(msg);
        waiting.splice(0, waiting.length, ...waiting.filter((x) => x.type !== type));
        for (const h of handlers) h(msg);
      }
    }
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    pid: child.pid!,
    ready,
    exited,
    onMessage: (fn) => void handlers.push(fn),
    message(type, timeoutMs) {
      return new Promise((resolve, reject) => {
        const seen = typed.get(type);
        if (seen) return resolve(seen);
        const t = setTimeout(() => reject(new Error(`${script}: no "${type}" message within ${timeoutMs} ms:\n${err.slice(-3000)}`)), timeoutMs);
        waiting.push({ type, resolve: (m) => (clearTimeout(t), resolve(m)) });
        void exited.then((code) => (clearTimeout(t), reject(new Error(`${script} exited (${code}) without a "${type}" message:\n${err.slice(-3000)}`))));
      });
    },
    stderr: () => err,
    async stop(graceMs = 5000) {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), graceMs);
      await exited;
      clearTimeout(t);
    },
  };
}

/** Polls `check` every `everyMs` until it returns a value other than undefined. */
export async function waitFor<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** `promise`, or a rejection after `ms` (the timer never outlives the promise). */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export interface Dist {
  n: number;
  p50: number;
  p99: number;
  mean: number;
}

/** Nearest-rank percentiles. */
export function dist(values: number[]): Dist {
  const xs = [...values].sort((a, b) => a - b);
  const at = (p: number) => xs[Math.min(xs.length - 1, Math.max(0, Math.ceil((p / 100) * xs.length) - 1))] ?? NaN;
  const mean = xs.reduce((a, b) => a + b, 0) / (xs.length || 1);
  return { n: xs.length, p50: at(50), p99: at(99), mean };
}

