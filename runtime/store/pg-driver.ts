import { createHash } from "node:crypto";
import pg from "pg";
import type { ConnectOptions, Db, Queryable, Row } from "./db.ts";
import { dbKey } from "./db.ts";

/**
 * The runtime's statements are few and run thousands of times a second; as named
 * (prepared) statements the server parses and plans each once per connection
 * instead of on every call, which is much of a step's cost in Postgres. Bounded, so
 * that code building SQL dynamically cannot prepare without end.
 */
const MAX_PREPARED = 256;

class StatementNames {
  private readonly names = new Map<string, string>();
  /** Bumped when the server rejects a cached plan (a table changed shape under it). */
  private generation = 0;

  query(sql: string, params: readonly unknown[] | undefined): pg.QueryConfig {
    const values = params as unknown[] | undefined;
    if (!values || values.length === 0) return { text: sql, values };
    let name = this.names.get(sql);
    if (name === undefined && this.names.size < MAX_PREPARED) {
      name = `cairn_${this.generation}_${createHash("sha1").update(sql).digest("hex").slice(0, 24)}`;
      this.names.set(sql, name);
    }
    return name === undefined ? { text: sql, values } : { name, text: sql, values };
  }

  /** After a migration changed a table a prepared statement reads, prepare everything anew. */
  invalidate(err: unknown): boolean {
    if ((err as { code?: string }).code !== "0A000" || !/cached plan must not change result type/.test(String((err as Error).message))) return false;
    this.generation++;
    this.names.clear();
    return true;
  }
}

/** Runs a statement; outside a transaction (`pool`), one stale prepared plan is retried at once. */
async function run(client: pg.Pool | pg.PoolClient, names: StatementNames, sql: string, params: readonly unknown[] | undefined): Promise<Row[]> {
  try {
    return (await client.query(names.query(sql, params))).rows;
  } catch (err) {
    // In a transaction the error has aborted it: the caller redoes the transaction.
    if (!names.invalidate(err) || !(client instanceof pg.Pool)) throw err;
    return (await client.query(names.query(sql, params))).rows;
  }
}

/** node-postgres driver: a Pool for queries, one dedicated client for LISTEN. */
export function pgDriver(url: string, options: ConnectOptions): Db {
  const onError = options.onError ?? (() => {});
  const names = new StatementNames();
  const pool = new pg.Pool({ connectionString: url, max: options.max ?? 10 });
  // An idle client that loses its connection emits 'error' on the pool; without a
  // listener that would crash the process. The pool replaces the client by itself.
  pool.on("error", onError);
  const listeners = new Map<string, Set<(payload: string) => void>>();
  let listener: pg.Client | null = null;
  let connecting: Promise<void> | null = null;
  let closed = false;

  const connectListener = async (): Promise<void> => {
    while (!closed) {
      const client = new pg.Client({ connectionString: url });
      try {
        client.on("error", onError);
        client.on("notification", (msg) => {
          for (const fn of listeners.get(msg.channel) ?? []) fn(msg.payload ?? "");
        });
        client.on("end", () => {
          if (listener === client) listener = null;
          if (!closed && listeners.size) void ensureListener();
        });
        await client.connect();
        for (const channel of listeners.keys()) await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
        listener = client;
        return;
      } catch (err) {
        onError(err as Error);
        await client.end().catch(() => {});
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  };
  const ensureListener = (): Promise<void> => {
    if (listener) return Promise.resolve();
    connecting ??= connectListener().finally(() => (connecting = null));
    return connecting;
  };

  const db: Db = {
    driver: "pg",
    key: dbKey(url),
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      return (await run(pool, names, sql, params)) as R[];
    },
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      let broken: Error | undefined;
      // A connection lost mid-transaction also emits 'error' on the checked-out client;
      // unheard, that event would crash the process. The failing query reports it.
      const onClientError = (err: Error) => {
        broken = err;
        onError(err);
      };
      client.on("error", onClientError);
      try {
        await client.query("BEGIN");
        const tx: Queryable = {
          async query<R extends Row>(sql: string, params?: readonly unknown[]) {
            return (await run(client, names, sql, params)) as R[];
          },
        };
        const out = await fn(tx);
        await client.query("COMMIT");
        return out;
      } catch (err) {
        await client.query("ROLLBACK").catch((e: Error) => (broken = e));
        throw err;
      } finally {
        client.off("error", onClientError);
        client.release(broken);
      }
    },
    async listen(channel, onMessage) {
      let set = listeners.get(channel);
      const fresh = !set;
      if (!set) listeners.set(channel, (set = new Set()));
      set.add(onMessage);
      await ensureListener();
      if (fresh && listener) await listener.query(`LISTEN ${pg.escapeIdentifier(channel)}`).catch(onError);
      return async () => {
        set.delete(onMessage);
        if (set.size === 0) {
          listeners.delete(channel);
          await listener?.query(`UNLISTEN ${pg.escapeIdentifier(channel)}`).catch(() => {});
        }
      };
    },
    async close() {
      closed = true;
      const l = listener;
      listener = null;
      await l?.end().catch(() => {});
      await pool.end();
    },
  };
  return db;
}
