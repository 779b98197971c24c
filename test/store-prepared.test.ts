/**
 * Both drivers run the runtime's parameterized statements as prepared statements
 * (parsed and planned once per connection). A table that changes shape under a
 * prepared statement must not break the query that uses it.
 */
import { afterAll, describe, expect, test } from "vitest";
import type { Db } from "../runtime/store/db.ts";
import { drivers, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

describe.each(drivers)("prepared statements (%s driver)", (driver) => {
  const schema = freshSchemaName("prep");
  let db: Db;
  afterAll(async () => {
    await dropSchema(db, schema);
    await db.close();
  });

  test("a parameterized statement is prepared once per connection and reused", async () => {
    // One connection, so the statement and pg_prepared_statements share a session.
    db = await openTestDb(driver, 1);
    await db.query(`CREATE SCHEMA "${schema}"`);
    await db.query(`CREATE TABLE "${schema}".t (a int PRIMARY KEY, b text)`);
    await db.query(`INSERT INTO "${schema}".t VALUES (1, 'one'), (2, 'two')`);
    const sql = `SELECT * FROM "${schema}".t WHERE a = $1`;
    for (let i = 0; i < 3; i++) expect(await db.query(sql, [1])).toEqual([{ a: 1, b: "one" }]);
    expect(await db.query(sql, [2])).toEqual([{ a: 2, b: "two" }]);
    const prepared = await db.query<{ statement: string }>(
      `SELECT statement FROM pg_prepared_statements WHERE statement LIKE $1`,
      [`%"${schema}".t WHERE a = $1%`],
    );
    expect(prepared).toEqual([{ statement: sql }]);
  });

  test("a table that changed shape under a prepared statement is re-prepared, not an error", async () => {
    const sql = `SELECT * FROM "${schema}".t WHERE a = $1`;
    await db.query(`ALTER TABLE "${schema}".t ADD COLUMN c int NOT NULL DEFAULT 7`);
    expect(await db.query(sql, [2])).toEqual([{ a: 2, b: "two", c: 7 }]);
    // And inside a transaction, where a failed statement aborts it: a retry of the transaction works.
    await db.query(`ALTER TABLE "${schema}".t DROP COLUMN b`);
    const inTx = () => db.transaction((tx) => tx.query(sql, [2]));
    const first = await inTx().catch((e: Error) => e);
    const rows = first instanceof Error ? await inTx() : first;
    expect(rows).toEqual([{ a: 2, c: 7 }]);
  });
});
