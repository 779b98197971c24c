import { spawn, type ChildProcess } from "node:child_process";
import { isAbsolute, relative, sep } from "node:path";
import { watch } from "chokidar";
import { ExitCode } from "../exit-codes.ts";
import type { Output } from "../output.ts";
import { stopRequested } from "../stop-requested.ts";
import { ensureEmbeddedPostgres, stopEmbeddedPostgres } from "../../runtime/store/embedded.ts";
import { UsageError } from "../exit-codes.ts";
import { linkedWorkspacePackages } from "../../plugin/resolve/workspace-package.ts";

/** The script this CLI runs from (cli/bin.js, or the sources' cli/source-bin.js): the worker runs the same. */
const BIN = process.argv[1]!;
const IGNORED = /(^|\/)(node_modules|\.cairn|\.git|dist)(\/|$)/;
const SOURCE = /\.(m?ts|tsx)$/;

/**
 * `cairn dev [paths...]`: local development. Starts (or reuses) the embedded
 * Postgres in `.cairn/` unless DATABASE_URL is set, then runs `cairn worker` on the
 * paths (default: the current directory) and restarts it whenever a TypeScript
 * file changes there or in a workspace package it can import, so the worker
 * always serves the code as it is on disk.
 */
export async function dev(paths: string[], cwd: string, out: Output, options: { ui?: boolean; uiPort?: string } = {}): Promise<ExitCode> {
  const targets = paths.length ? paths : ["."];
  // Before anything starts: a signal during start-up must still stop the worker it launched.
  const stopRequest = stopRequested();
  if (!process.env.DATABASE_URL) {
    const server = await ensureEmbeddedPostgres({ dir: cwd, log: (l) => out.stderr(`cairn: ${l}\n`) });
    out.stderr(`cairn: embedded Postgres at ${server.url} (data in .cairn/pg; set DATABASE_URL to use another)\n`);
  }
  const uiPort = Number(options.uiPort ?? 4400);
  if (!Number.isInteger(uiPort) || uiPort < 0 || uiPort > 65535) throw new UsageError(`--ui-port must be a port number, not ${options.uiPort}`);
  // The web UI (cli/ui/) on the same database, loaded only when wanted.
  const closeUi = options.ui === false ? null : await (await import("../ui/dev-ui.ts")).startDevUi(cwd, out, uiPort);
  let child: ChildProcess | null = null;
  let restarting: NodeJS.Timeout | null = null;
  let stopping = false;
  const launch = () => {
    const started = spawn(process.execPath, [BIN, "worker", ...targets], { cwd, stdio: "inherit" });
    child = started;
    started.once("exit", (code) => {
      // The worker refused the code (compile errors, exit 2) or failed: say that dev goes on.
      if (!stopping && child === started && code !== 0) {
        out.stderr(`cairn: the worker exited (code ${code}); waiting for a change to start it again\n`);
      }
    });
  };
  const stopChild = () =>
    new Promise<void>((resolve) => {
      if (!child || child.exitCode !== null) return resolve();
      stopping = true;
      child.once("exit", () => {
        stopping = false;
        resolve();
      });
      child.kill("SIGTERM");
    });
  launch();
  const restart = (changed: string) => {
    if (restarting) clearTimeout(restarting);
    restarting = setTimeout(async () => {
      out.stderr(`cairn: ${changed} changed; restarting the worker\n`);
      await stopChild();
      launch();
    }, 150);
  };
  // The workspace packages the code here imports by name live elsewhere: watched too.
  const roots = [cwd, ...linkedWorkspacePackages(cwd).filter((dir) => !isInside(dir, cwd))];
  // chokidar rather than fs.watch: recursive fs.watch on Linux loses a file after an
  // atomic save (write a temp file, rename it over: sed -i, many editors).
  const watchers = roots.map((root) => {
    const watcher = watch(root, {
      ignoreInitial: true,
      atomic: true,
      ignored: (path, stats) => IGNORED.test(relative(root, path)) || (stats?.isFile() === true && !SOURCE.test(path)),
    });
    watcher.on("all", (_event, path) => {
      if (SOURCE.test(path)) restart(relative(cwd, path));
    });
    return watcher;
  });
  await stopRequest;
  await Promise.all(watchers.map((w) => w.close()));
  if (restarting) clearTimeout(restarting);
  await stopChild();
  await closeUi?.();
  return ExitCode.ok;
}

/** `cairn dev --stop`: stops the embedded Postgres the commands of this directory share. */
export async function stopDev(paths: string[], cwd: string, out: Output): Promise<ExitCode> {
  if (paths.length > 0) throw new UsageError("cairn dev --stop takes no paths: it stops the embedded Postgres of the current directory");
  const stopped = await stopEmbeddedPostgres(cwd);
  out.stderr(stopped ? "cairn: stopped the embedded Postgres (data kept in .cairn/pg)\n" : "cairn: no embedded Postgres runs for this directory\n");
  return ExitCode.ok;
}

function isInside(path: string, dir: string): boolean {
  const rel = relative(dir, path);
  return rel === "" || (!isAbsolute(rel) && rel !== ".." && !rel.startsWith(`..${sep}`));
}
