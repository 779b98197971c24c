/** connect(): a URL string or options, with clear errors for anything else. */
import { expect, test } from "vitest";
import { connect } from "../runtime/durable/client.ts";
import { databaseUrl, freshSchemaName } from "./helpers/db.ts";

test("connect(url) uses that server; connect({ url, pool }) sizes the pool", async () => {
  const schema = freshSchemaName("conn");
  const client = await connect(databaseUrl());
  try {
    const [row] = await client.db.query<{ db: string }>("SELECT current_database() AS db");
    expect(row.db).toBe(new URL(databaseUrl()).pathname.slice(1));
  } finally {
    await client.close();
  }
  const pooled = await connect({ url: databaseUrl(), pool: 2, schema });
  try {
    const backends = await Promise.all([1, 2, 3].map(() => pooled.db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid, pg_sleep(0.2)")));
    expect(new Set(backends.map((b) => b[0].pid)).size).toBeLessThanOrEqual(2);
    await pooled.db.query(`DROP SCHEMA "${schema}" CASCADE`);
  } finally {
    await pooled.close();
  }
});

test("anything else is a TypeError that says what connect() takes", async () => {
  await expect(connect(42 as never)).rejects.toThrow(new TypeError("connect() takes a Postgres URL or an options object, not number"));
  await expect(connect("mysql://localhost/x")).rejects.toThrow(new TypeError('connect(): the url must be a postgres:// or postgresql:// URL, not "mysql://localhost/x"'));
  await expect(connect({ url: databaseUrl(), pool: 0 })).rejects.toThrow(new TypeError("connect(): pool must be a positive integer, not 0"));
});
