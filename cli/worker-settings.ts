import { parseDuration } from "../runtime/api/duration.ts";
import { DEFAULT_CONCURRENCY } from "../runtime/durable/worker.ts";
import { UsageError } from "./exit-codes.ts";

/** `cairn worker`'s options as commander parses them (strings; each also has an environment variable). */
export interface WorkerFlags {
  pool?: string;
  concurrency?: string;
  poll?: string;
  lease?: string;
  actionTimeout?: string;
  retention?: string;
  logFormat?: string;
  logLevel?: string;
  healthPort?: string;
  quiet?: boolean;
}

export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFormat = "text" | "json";

export interface WorkerSettings {
  pool: number;
  concurrency: number;
  pollMs?: number;
  leaseMs?: number;
  actionTimeoutMs?: number;
  retentionMs?: number;
  logFormat: LogFormat;
  logLevel: LogLevel;
  /** Port of the health endpoint (0: any free port); undefined: none. */
  healthPort?: number;
}

/** Each setting: its flag (commander's key, the command-line spelling) and its environment variable. */
const SOURCES = {
  pool: ["--pool", "CAIRN_POOL"],
  concurrency: ["--concurrency", "CAIRN_CONCURRENCY"],
  poll: ["--poll", "CAIRN_POLL"],
  lease: ["--lease", "CAIRN_LEASE"],
  actionTimeout: ["--action-timeout", "CAIRN_ACTION_TIMEOUT"],
  retention: ["--retention", "CAIRN_RETENTION"],
  logFormat: ["--log-format", "CAIRN_LOG_FORMAT"],
  logLevel: ["--log-level", "CAIRN_LOG_LEVEL"],
  healthPort: ["--health-port", "CAIRN_HEALTH_PORT"],
} as const satisfies Record<keyof Omit<WorkerFlags, "quiet">, readonly [string, string]>;

type Key = keyof typeof SOURCES;

/** The pool a worker opens when told nothing: enough for its claim loop, commits, heartbeats and listener. */
export const DEFAULT_WORKER_POOL = 10;

/**
 * The worker's settings from its flags, else the environment (a container sets
 * CAIRN_* where a command line is awkward), else the defaults. A flag wins over
 * its variable. A bad value is a usage error naming where it came from.
 */
export function workerSettings(flags: WorkerFlags, env: NodeJS.ProcessEnv = process.env): WorkerSettings {
  const get = (key: Key): { value: string; from: string } | undefined => {
    const [flag, variable] = SOURCES[key];
    if (flags[key] !== undefined) return { value: flags[key], from: flag };
    const fromEnv = env[variable];
    return fromEnv === undefined || fromEnv === "" ? undefined : { value: fromEnv, from: variable };
  };
  const level = get("logLevel");
  return {
    pool: integer(get("pool"), 1) ?? DEFAULT_WORKER_POOL,
    concurrency: integer(get("concurrency"), 1) ?? DEFAULT_CONCURRENCY,
    pollMs: duration(get("poll"), 10, false),
    leaseMs: duration(get("lease"), 300, false),
    actionTimeoutMs: duration(get("actionTimeout"), 1, true),
    retentionMs: duration(get("retention"), 1, true),
    logFormat: oneOf(get("logFormat"), ["text", "json"] as const) ?? "text",
    // --quiet: no per-call progress, but warnings and errors still show.
    logLevel: oneOf(level, LOG_LEVELS) ?? (flags.quiet ? "warn" : "info"),
    healthPort: integer(get("healthPort"), 0, 65_535),
  };
}

function integer(setting: { value: string; from: string } | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (!setting) return undefined;
  const n = Number(setting.value);
  if (!/^\d+$/.test(setting.value.trim()) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? (min === 1 ? "a positive integer" : `an integer >= ${min}`) : `an integer from ${min} to ${max}`;
    throw new UsageError(`${setting.from} must be ${range}, not ${setting.value}`);
  }
  return n;
}

/** A duration in ms ("250ms", "30s", "5m", "2h", "7d", or a number of ms); 0 only where it means "none". */
function duration(setting: { value: string; from: string } | undefined, min: number, zeroMeansNone: boolean): number | undefined {
  if (!setting) return undefined;
  let ms: number;
  try {
    ms = parseDuration(/^\d+(\.\d+)?$/.test(setting.value) ? Number(setting.value) : setting.value, setting.from);
  } catch {
    throw new UsageError(`${setting.from} must be a duration such as 500ms, 30s, 5m, 2h or 7d, not ${setting.value}`);
  }
  if ((ms === 0 && !zeroMeansNone) || (ms !== 0 && ms < min)) throw new UsageError(`${setting.from} must be at least ${min}ms, not ${setting.value}`);
  return ms;
}

function oneOf<T extends string>(setting: { value: string; from: string } | undefined, allowed: readonly T[]): T | undefined {
  if (!setting) return undefined;
  if (!(allowed as readonly string[]).includes(setting.value)) {
    throw new UsageError(`${setting.from} must be ${allowed.join(", ").replace(/, ([^,]*)$/, " or $1")}, not ${setting.value}`);
  }
  return setting.value as T;
}
