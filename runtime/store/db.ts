/**
 * The narrow database interface the durable runtime is written against. Two drivers
 * implement it: node-postgres (`pg`, the default) and porsager's `postgres`. Nothing
 * else in the runtime knows which one is in use.
 */
// `object` rather than an index signature, so interfaces of row types qualify.
export type Row = object;

export interface Queryable {
  /** Runs one parameterized statement ($1, $2 ...) and returns its rows. */
  query<R extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<R[]>;
}

export interface Db extends Queryable {
  /** Runs `fn` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Subscribes to NOTIFY on `channel`. The subscription survives connection loss
   * (drivers re-listen after reconnecting); callers still poll as a fallback because
   * notifications sent while disconnected are lost.
   */
  listen(channel: string, onMessage: (payload: string) => void): Promise<() => Promise<void>>;
  close(): Promise<void>;
  readonly driver: DriverName;
}

export type DriverName = "pg" | "postgres";

export interface ConnectOptions {
  driver?: DriverName;
  /** Pool size (default 10). */
  max?: number;
  /** Called with connection-level errors that the driver recovers from by itself. */
  onError?: (err: Error) => void;
}

export async function connectDb(url: string, options: ConnectOptions = {}): Promise<Db> {
  const driver = options.driver ?? "pg";
  if (driver === "pg") return (await import("./pg-driver.ts")).pgDriver(url, options);
  if (driver === "postgres") return (await import("./postgres-driver.ts")).postgresDriver(url, options);
  throw new Error(`unknown database driver ${JSON.stringify(driver)}; use "pg" or "postgres"`);
}

/** Postgres SQLSTATEs meaning "the server or the connection went away; try again". */
export function isConnectionError(err: unknown): boolean {
  const e = err as { code?: string; message?: string };
  if (typeof e?.code === "string" && /^(08|57P0[123])/.test(e.code)) return true;
  if (e?.code === "ECONNREFUSED" || e?.code === "ECONNRESET" || e?.code === "EPIPE" || e?.code === "ETIMEDOUT") return true;
  return /Connection terminated|connection ended|CONNECTION_(CLOSED|ENDED|DESTROYED)|write after end/i.test(e?.message ?? "");
}
