/** What a Worker is configured with and what it reports (the Worker itself is worker.ts). */
import type { ErrorValue } from "../interpreter/errors.ts";
import type { ResolvedRetry } from "../../ir-schema/call-options.ts";
import type { ActionSource } from "../runner/actions.ts";
import type { WorkflowLike } from "../api/compiled.ts";
import type { InstanceLog } from "./step.ts";
import type { ScheduleSource } from "./schedule-source.ts";

/** See WorkerOptions.concurrency. */
export const DEFAULT_CONCURRENCY = 50;

/** See WorkerOptions.retentionMs. */
export const DEFAULT_RETENTION_MS = 7 * 24 * 3_600_000;

/** See WorkerOptions.actionTimeoutMs. */
export const DEFAULT_ACTION_TIMEOUT_MS = 10 * 60_000;


export interface WorkerOptions {
  actions: ActionSource;
  /** Workflow artifacts to register at start (instances of others still run: definitions live in the database). */
  workflows?: WorkflowLike[];
  /**
   * Schedules of the build: its manifest's (`loadArtifactDir(dir).manifest.schedules`), or the
   * exports of the modules that declare them (`await import("./schedules.ts")`). Those of the
   * workflows above are registered at start, and this worker takes part in their rounds.
   */
  schedules?: ScheduleSource;
  schema?: string;
  /**
   * Actions run at once (default 50). Actions mostly wait on I/O, and a larger
   * batch of outcomes shares each commit: 10 held no-op workflows to half the
   * throughput of 30-50 on a 2-core machine.
   */
  concurrency?: number;
  /** Fallback poll interval when no notification arrives (default 1000 ms). */
  pollMs?: number;
  /**
   * Lease on a claimed task; renewed every leaseMs / 3 (default 30 s). A worker that
   * dies is noticed within about 1.3 leases, and its tasks run again elsewhere.
   */
  leaseMs?: number;
  /**
   * Timeout of an attempt whose call sets none (default 10 minutes; 0: none). An
   * attempt past it fails with ActionTimeoutError and counts as a failed attempt,
   * so a hung action cannot hold a slot forever.
   */
  actionTimeoutMs?: number;
  /**
   * Finished instances (completed, failed, cancelled) are deleted with their tasks
   * and history this long after they finished (default 7 days; 0: kept forever),
   * in bounded batches that never block other work (prune.ts).
   */
  retentionMs?: number;
  defaultRetry?: Partial<ResolvedRetry>;
  maxPayloadBytes?: number;
  /** Largest error kept, in bytes of JSON (default 64 KiB); a larger one is truncated. */
  maxErrorBytes?: number;
  /** Run migrations at start (default true). */
  migrate?: boolean;
  id?: string;
  onEvent?: (event: WorkerEvent) => void;
}

/**
 * What a worker reports. Events about a call carry its instance and, when this
 * process knows it (it nearly always does: the step needs the definition), the
 * instance's workflow name, so that every log line can say where it belongs.
 */
export type WorkerEvent =
  | { type: "claimed"; instanceId: string; workflow?: string; callId: string; action: string; attempt: number }
  | { type: "completed"; instanceId: string; workflow?: string; callId: string; action: string; attempt: number; ok: boolean }
  | { type: "retry"; instanceId: string; workflow?: string; callId: string; action: string; attempt: number; delayMs: number; error: ErrorValue }
  | { type: "lease-lost"; instanceId: string; workflow?: string; callId: string }
  | { type: "woke"; count: number }
  /** A schedule's tick started an instance (scheduler.ts). */
  | { type: "scheduled"; schedule: string; tick: number; instanceId: string; workflow: string }
  /** A schedule's tick could start nothing for a reason no retry fixes (the input no longer fits): skipped. */
  | { type: "schedule-skipped"; schedule: string; tick: number; error: Error }
  | ({ type: "log" } & InstanceLog)
  | { type: "error"; where: string; error: Error };
