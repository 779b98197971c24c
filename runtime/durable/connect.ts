/** `connect()`: a Client on a URL, an existing connection, or the embedded server. */
import { connectDb, type Db, type DriverName } from "../store/db.ts";
import { migrate } from "../store/migrate.ts";
import { ensureEmbeddedPostgres } from "../store/embedded.ts";
import { Client } from "./client.ts";

export interface ConnectOptions {
  /** Postgres URL; default `DATABASE_URL`, else the embedded server of the current directory. */
  url?: string;
  /** An existing connection to use instead (not closed by `close()`). */
  db?: Db;
  driver?: DriverName;
  /** Connections in the pool (default 10); a Worker given `client.db` shares them. */
  pool?: number;
  schema?: string;
  /** Apply migrations on connect (default true). */
  migrate?: boolean;
  maxPayloadBytes?: number;
}

/** The database URL to use: explicit, `DATABASE_URL`, or the embedded server of `dir`. */
export async function resolveDatabaseUrl(url?: string, dir?: string, log?: (line: string) => void): Promise<string> {
  if (url) return url;
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  return (await ensureEmbeddedPostgres({ dir, log })).url;
}

/** A client: `connect()` (DATABASE_URL, else the embedded server), `connect("postgres://...")` or `connect({ url, pool, ... })`. */
export async function connect(target: string | ConnectOptions = {}): Promise<Client> {
  if (typeof target !== "string" && (typeof target !== "object" || target === null || Array.isArray(target))) {
    throw new TypeError(`connect() takes a Postgres URL or an options object, not ${target === null ? "null" : typeof target}`);
  }
  const options: ConnectOptions = typeof target === "string" ? { url: target } : target;
  if (options.url !== undefined && (typeof options.url !== "string" || !/^postgres(ql)?:\/\//.test(options.url))) {
    throw new TypeError(`connect(): the url must be a postgres:// or postgresql:// URL, not ${JSON.stringify(options.url)}`);
  }
  if (options.pool !== undefined && (!Number.isInteger(options.pool) || options.pool < 1)) {
    throw new TypeError(`connect(): pool must be a positive integer, not ${String(options.pool)}`);
  }
  const db = options.db ?? (await connectDb(await resolveDatabaseUrl(options.url), { driver: options.driver, max: options.pool }));
  const schema = options.schema ?? "cairn";
  if (options.migrate !== false) await migrate(db, schema);
  return new Client(db, { schema, maxPayloadBytes: options.maxPayloadBytes }, !options.db);
}
