import { collectActions } from "../../runtime/runner/actions.ts";
import { Worker } from "../../runtime/durable/worker.ts";
import type { Db } from "../../runtime/store/db.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { startHealthServer, type HealthServer, type Phase } from "../health-server.ts";
import type { Output } from "../output.ts";
import { stopRequested } from "../stop-requested.ts";
import { WorkerLog } from "../worker-log.ts";
import { workerSettings, type WorkerFlags } from "../worker-settings.ts";
import { loadWorkerSources, type WorkerSources } from "../worker-sources.ts";

export interface WorkerCommandOptions extends WorkerFlags {
  ir?: string[];
}

/**
 * `cairn worker <file.ts|dir|artifact dir|bundle...> [--ir <dir>]`: serves those
 * actions and workflows until SIGINT/SIGTERM, then stops claiming, lets running
 * attempts finish (10 s) and releases the rest for other workers. Settings come
 * from flags or CAIRN_* variables (worker-settings.ts); every line it logs has its
 * time and level, and a call's lines their instance, workflow and call (worker-log.ts).
 */
export async function worker(paths: string[], options: WorkerCommandOptions, cwd: string, out: Output, stopSignal?: AbortSignal): Promise<ExitCode> {
  const all = [...paths, ...(options.ir ?? [])];
  if (all.length === 0) throw new UsageError("give the files, artifact directories (--ir) or bundles to serve");
  const settings = workerSettings(options);
  const log = new WorkerLog(out, settings.logFormat, settings.logLevel);
  const stopRequest = stopRequested(stopSignal);
  let phase: Phase = "starting";
  let db: Db | null = null;
  // Up first, so probes see "starting" (503) rather than a refused connection while it loads and connects.
  let health: HealthServer | undefined;
  if (settings.healthPort !== undefined) {
    health = await startHealthServer(settings.healthPort, () => db, () => phase).catch((error: Error) => {
      throw new UsageError(`cannot serve health checks on port ${settings.healthPort}: ${error.message}`);
    });
    log.lifecycle(`health checks on http://localhost:${health.port}/healthz and /readyz`);
  }
  try {
    const sources = await loadWorkerSources(all, cwd, out);
    if (!sources) return ExitCode.compileErrors;
    let actions;
    try {
      actions = collectActions(sources.actions);
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const opened = await openDatabase(cwd, out, { pool: settings.pool });
    db = opened.db;
    const w = new Worker(opened.db, {
      actions: [...actions.values()],
      workflows: sources.workflows,
      schedules: sources.schedules,
      schema: opened.schema,
      migrate: false,
      concurrency: settings.concurrency,
      ...defined({ pollMs: settings.pollMs, leaseMs: settings.leaseMs, actionTimeoutMs: settings.actionTimeoutMs, retentionMs: settings.retentionMs }),
      onEvent: (e) => log.event(e),
    });
    log.workerId = w.id;
    await w.start();
    phase = "serving";
    log.lifecycle(
      `worker ${w.id} on ${opened.where} serving ${actions.size} action(s) [${[...actions.keys()].join(", ")}] ` +
        `and ${sources.workflows.length} workflow(s) [${sources.workflows.map((x) => x.name).join(", ")}]${schedulesNote(sources)}`,
    );
    await stopRequest;
    phase = "stopping";
    log.lifecycle("stopping: finishing running actions (up to 10s)");
    await w.stop(10_000);
    await opened.db.close();
    log.lifecycle("worker stopped");
    return ExitCode.ok;
  } finally {
    await health?.close();
  }
}

/** The schedules this worker registered (those of the workflows it serves), for its start line. */
function schedulesNote(sources: WorkerSources): string {
  const served = new Set(sources.workflows.map((w) => w.name));
  const names = sources.schedules.filter((s) => served.has(s.workflow)).map((s) => s.name);
  return names.length === 0 ? "" : ` and ${names.length} schedule(s) [${names.join(", ")}]`;
}

/** The options that were set: the Worker's own defaults stand for the rest. */
function defined<T extends Record<string, number | undefined>>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)) as Partial<T>;
}
