import postgres from "postgres";
import type { ConnectOptions, Db, Queryable, Row } from "./db.ts";
import { dbKey } from "./db.ts";

/** porsager/postgres driver; it reconnects and re-listens by itself. */
export function postgresDriver(url: string, options: ConnectOptions): Db {
  const sql = postgres(url, {
    max: options.max ?? 10,
    onnotice: () => {},
    transform: { undefined: null },
  });
  // Prepared, like the pg driver's (see pg-driver.ts): planned once per connection.
  const run = async <R extends Row>(q: postgres.Sql | postgres.TransactionSql, text: string, params?: readonly unknown[]) =>
    (await q.unsafe(text, (params ?? []) as postgres.ParameterOrJSON<never>[], { prepare: (params?.length ?? 0) > 0 })) as unknown as R[];
  return {
    driver: "postgres",
    key: dbKey(url),
    query: (text, params) => run(sql, text, params),
    async transaction<T>(fn: (tx: Queryable) => Promise<T>): Promise<T> {
      return (await sql.begin((tx) => fn({ query: (text, params) => run(tx, text, params) }))) as T;
    },
    async listen(channel, onMessage) {
      const sub = await sql.listen(channel, (payload) => onMessage(payload));
      return () => sub.unlisten();
    },
    async close() {
      await sql.end({ timeout: 5 });
    },
  };
}
