import { collectActions } from "../../runtime/local/actions.ts";
import { durationFlag } from "../duration-flag.ts";
import { DEFAULT_CONCURRENCY, Worker } from "../../runtime/durable/worker.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { formatWorkerEvent } from "../format-event.ts";
import type { Output } from "../output.ts";
import { stopRequested } from "../stop-requested.ts";
import { loadWorkerSources, type WorkerSources } from "../worker-sources.ts";

export interface WorkerCommandOptions {
  ir?: string[];
  concurrency?: string;
  lease?: string;
  actionTimeout?: string;
  retention?: string;
  quiet?: boolean;
}

/**
 * `cairn worker <file.ts|dir|artifact dir|bundle...> [--ir <dir>]`: serves those
 * actions and workflows until SIGINT/SIGTERM, then stops claiming, lets running
 * attempts finish (10 s) and releases the rest for other workers.
 */
export async function worker(paths: string[], options: WorkerCommandOptions, cwd: string, out: Output, stopSignal?: AbortSignal): Promise<ExitCode> {
  const all = [...paths, ...(options.ir ?? [])];
  if (all.length === 0) throw new UsageError("give the files, artifact directories (--ir) or bundles to serve");
  const concurrency = Number(options.concurrency ?? DEFAULT_CONCURRENCY);
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new UsageError(`--concurrency must be a positive integer, not ${options.concurrency}`);
  const leaseMs = durationFlag("lease", options.lease, 300);
  if (leaseMs === 0) throw new UsageError("--lease must be at least 300ms, not 0");
  const actionTimeoutMs = durationFlag("action-timeout", options.actionTimeout, 1);
  const retentionMs = durationFlag("retention", options.retention, 1);
  const stopRequest = stopRequested(stopSignal);
  const sources = await loadWorkerSources(all, cwd, out);
  if (!sources) return ExitCode.compileErrors;
  let actions;
  try {
    actions = collectActions(sources.actions);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { db, schema, where } = await openDatabase(cwd, out);
  const w = new Worker(db, {
    actions: [...actions.values()],
    workflows: sources.workflows,
    schedules: sources.schedules,
    schema,
    migrate: false,
    concurrency,
    ...(leaseMs === undefined ? {} : { leaseMs }),
    ...(actionTimeoutMs === undefined ? {} : { actionTimeoutMs }),
    ...(retentionMs === undefined ? {} : { retentionMs }),
    onEvent: options.quiet ? undefined : (e) => {
      const line = formatWorkerEvent(e);
      if (line !== null) out.stderr(line + "\n");
    },
  });
  await w.start();
  out.stderr(
    `cairn: worker ${w.id} on ${where} serving ${actions.size} action(s) [${[...actions.keys()].join(", ")}] ` +
      `and ${sources.workflows.length} workflow(s) [${sources.workflows.map((x) => x.name).join(", ")}]${schedulesNote(sources)}\n`,
  );
  await stopRequest;
  out.stderr("cairn: stopping: finishing running actions (up to 10s)\n");
  await w.stop(10_000);
  await db.close();
  out.stderr("cairn: worker stopped\n");
  return ExitCode.ok;
}

/** The schedules this worker registered (those of the workflows it serves), for its start line. */
function schedulesNote(sources: WorkerSources): string {
  const served = new Set(sources.workflows.map((w) => w.name));
  const names = sources.schedules.filter((s) => served.has(s.workflow)).map((s) => s.name);
  return names.length === 0 ? "" : ` and ${names.length} schedule(s) [${names.join(", ")}]`;
}
