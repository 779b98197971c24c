/**
 * The slices of the peers' APIs the benchmark uses, and loaders for them.
 *
 * The peers are installed into bench/peers/node_modules by `npm run bench` only, but
 * the root `tsc -p .` checks every file under bench/. So the packages are loaded by
 * a specifier tsc does not resolve, and typed by the interfaces below (written
 * against @dbos-inc/dbos-sdk 5.3 and graphile-worker 0.17); the loaders fail with a
 * clear message when the packages are missing.
 */

export interface DbosHandle<R> {
  workflowID: string;
  getResult(): Promise<R>;
}

export interface DbosStatic {
  setConfig(config: { name: string; systemDatabaseUrl: string; systemDatabasePoolSize?: number; logLevel?: string }): void;
  launch(): Promise<void>;
  shutdown(): Promise<void>;
  registerWorkflow<Args extends unknown[], R>(fn: (...args: Args) => Promise<R>, config?: { name?: string }): (...args: Args) => Promise<R>;
  runStep<R>(fn: () => Promise<R>, config?: { name?: string }): Promise<R>;
  startWorkflow<Args extends unknown[], R>(
    fn: (...args: Args) => Promise<R>,
    params?: { queueName?: string },
  ): (...args: Args) => Promise<DbosHandle<R>>;
  registerQueue(name: string, options?: { workerConcurrency?: number; minPollingIntervalMs?: number }): Promise<unknown>;
}

export interface DbosClientLike {
  enqueue(options: { queueName: string; workflowName: string }, ...args: unknown[]): Promise<DbosHandle<unknown>>;
  destroy(): Promise<void>;
}

export interface DbosModule {
  DBOS: DbosStatic;
  DBOSClient: { create(options: { systemDatabaseUrl: string }): Promise<DbosClientLike> };
}

export interface GraphileHelpers {
  addJob(identifier: string, payload: unknown): Promise<unknown>;
}

export type GraphileTask = (payload: unknown, helpers: GraphileHelpers) => Promise<void>;

export interface GraphileRunner {
  stop(): Promise<void>;
  promise: Promise<void>;
}

export interface GraphileModule {
  run(options: {
    connectionString: string;
    concurrency: number;
    taskList: Record<string, GraphileTask>;
    noHandleSignals?: boolean;
    logger?: unknown;
  }): Promise<GraphileRunner>;
  Logger: new (factory: () => (level: string, message: string) => void) => unknown;
}

async function load<T>(specifier: string, what: string): Promise<T> {
  try {
    return (await import(specifier)) as T;
  } catch (err) {
    throw new Error(`${what} is not installed (run \`npm ci --prefix bench/peers\`): ${(err as Error).message}`);
  }
}

// Held in variables so that tsc does not try to resolve them.
const DBOS_PACKAGE: string = "@dbos-inc/dbos-sdk";
const GRAPHILE_PACKAGE: string = "graphile-worker";

export const loadDbos = (): Promise<DbosModule> => load<DbosModule>(DBOS_PACKAGE, "DBOS Transact");
export const loadGraphile = (): Promise<GraphileModule> => load<GraphileModule>(GRAPHILE_PACKAGE, "graphile-worker");

/** Wall-clock time in ms with sub-millisecond precision (same clock as bench/common.ts `now`). */
export const now = (): number => performance.timeOrigin + performance.now();

export const env = (name: string): string => {
  const v = process.env[name];
  if (!v) throw new Error(`${name} is not set`);
  return v;
};

/** One JSON line on stdout: how a peer process reports to bench/run.ts. */
export const report = (msg: Record<string, unknown>): void => void process.stdout.write(`${JSON.stringify(msg)}\n`);

/** Resolves when the orchestrator says go (SIGUSR2), so set-up is not measured. */
export const go = (): Promise<void> =>
  new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1000); // a signal listener alone does not keep Node running
    process.once("SIGUSR2", () => {
      clearInterval(keepAlive);
      resolve();
    });
  });
