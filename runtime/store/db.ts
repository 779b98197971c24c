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
  /** Which server and database this is (the URL without its password): lets a process's clients and workers find each other. */
  readonly key?: string;
}

/** `Db.key` of a connection URL. */
export function dbKey(url: string): string {
  try {
    const u = new URL(url);
    u.password = "";
    return u.href;
  } catch {
    return url;
  }
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
