import pg from "pg";
import type { ConnectOptions, Db, Queryable, Row } from "./db.ts";

/** node-postgres driver: a Pool for queries, one dedicated client for LISTEN. */
export function pgDriver(url: string, options: ConnectOptions): Db {
  const onError = options.onError ?? (() => {});
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
    async query<R extends Row>(sql: string, params?: readonly unknown[]) {
      return (await pool.query(sql, params as unknown[])).rows as R[];
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
            return (await client.query(sql, params as unknown[])).rows as R[];
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
