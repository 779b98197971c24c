/** What each measurement returns; report.ts turns them into the Markdown table. */
import type { Dist } from "./common.ts";
import type { CpuUse } from "./usage.ts";
import type { WaitsResult } from "./waits.ts";

export interface PgbenchResult {
  /** When in the run: "before" and "after" bracket the suite; "round N" opens throughput round N. */
  phase: string;
  clients: number;
  seconds: number;
  tps: number;
  latencyMs: number;
}

export interface ThroughputResult {
  system: "cairn" | "dbos" | "graphile";
  /** e.g. "3-action sequence", "10-way fan-out". */
  workload: string;
  /** How the system ran (worker processes, in-process, queue ...). */
  mode: string;
  processes: number;
  instances: number;
  actions: number;
  seconds: number;
  instancesPerSec: number;
  actionsPerSec: number;
  cpu: CpuUse;
  /** Transactions committed in the system's database during the run (read-only ones included). */
  dbTransactions: number;
  /** Share of sampled busy backends (statements running) that were waiting on a lock (Cairn only). */
  lockWaitShare?: number;
  /** The measured window on the machine's monotonic clock (µs, as in V8 CPU profiles). */
  windowUs?: [number, number];
  /** Which round of the suite measured it (throughput is measured in rounds; the best counts). */
  round?: number;
}

export interface LatencyResult {
  system: "cairn" | "dbos" | "graphile";
  mode: string;
  /** start() (or enqueue) to the first action running. */
  startToFirst: Dist;
  /** One action finishing (its timestamp) to the next one starting. */
  actionToNext: Dist;
  /** The last action to result() returning (graphile: to the chain's end being reported). */
  lastToResult: Dist;
  /** start() to result(), the whole 3-action workflow. */
  total: Dist;
  /** Busy share of all cores while it was measured (by anyone), 0..1. */
  machineBusy: number;
  /** Transactions committed in the system's database per instance (read-only and set-up included). */
  txPerInstance: number;
}

export interface SleepResult {
  instances: number;
  sleepMs: number;
  rssBeforeMb: number;
  rssSleepingMb: number;
  rssAfterMb: number;
  /** Seconds from the first wake-up time to the last instance finishing. */
  wakeSeconds: number;
  completed: number;
  /** Instances whose action ran before their wake-up time (must be 0). */
  early: number;
}

export interface ScaleResult {
  instances: number;
  seconds: number;
  actionsPerSec: number;
  /** Worker CPU ms per action. */
  workerCpuPerAction: number;
  /** Postgres CPU ms per action. */
  postgresCpuPerAction: number;
}

/** Where one profiled worker's CPU went (bench/profile.ts). */
export interface ProfileSummary {
  instances: number;
  actionsPerSec: number;
  /** Sampled time, ms (idle included). */
  totalMs: number;
  areas: Array<{ area: string; share: number }>;
  functions: Array<{ name: string; where: string; area: string; share: number }>;
}

export interface NotMeasured {
  what: string;
  reason: string;
}

export interface Machine {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  postgres: Record<string, string>;
  date: string;
  quick: boolean;
  concurrency: number;
  versions: Record<string, string>;
}

export interface Results {
  machine: Machine;
  pgbench: PgbenchResult[];
  throughput: ThroughputResult[];
  latency: LatencyResult[];
  sleep: SleepResult | null;
  scale: ScaleResult[];
  profile: ProfileSummary | null;
  /** Messages and children (bench/waits.ts). */
  waits: WaitsResult | null;
  notMeasured: NotMeasured[];
  totalSeconds: number;
}
