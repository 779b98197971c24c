import { afterAll, describe, expect, test } from "vitest";
import { readdirSync } from "node:fs";
import { migrate } from "../runtime/store/migrate.ts";
import { MIGRATIONS } from "../runtime/store/migrations/index.ts";
import { drivers, dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";
import type { Db } from "../runtime/store/db.ts";

test("every numbered module in runtime/store/migrations is listed, in order, under its number and name", () => {
  const files = readdirSync(new URL("../runtime/store/migrations/", import.meta.url)).filter((f) => f !== "index.ts").sort();
  expect(files.every((f) => /^\d{4}_[a-z_]+\.ts$/.test(f))).toBe(true);
  expect(MIGRATIONS.map((m) => `${String(m.id).padStart(4, "0")}_${m.name}.ts`)).toEqual(files);
  expect(MIGRATIONS.map((m) => m.id)).toEqual(files.map((_, i) => i + 1));
});

describe.each(drivers)("migrations (%s driver)", (driver) => {
  const schema = freshSchemaName("mig");
  let db: Db;
  afterAll(async () => {
    await dropSchema(db, schema);
    await db.close();
  });

  test("racing migrators apply each migration exactly once", async () => {
    db = await openTestDb(driver);
    const results = await Promise.all(Array.from({ length: 8 }, () => migrate(db, schema)));
    const all = MIGRATIONS.map((m) => `${String(m.id).padStart(4, "0")}_${m.name}`);
    expect(results.flat().sort()).toEqual(all);
    expect(results.filter((r) => r.length > 0)).toHaveLength(1);
    const rows = await db.query<{ id: number }>(`SELECT id FROM "${schema}".migrations ORDER BY id`);
    expect(rows.map((r) => r.id)).toEqual(MIGRATIONS.map((m) => m.id));
    expect(await migrate(db, schema)).toEqual([]);
  });

  test("creates the runtime tables keyed by instance", async () => {
    const pks = await db.query<{ table_name: string; cols: string }>(
      `SELECT tc.table_name, string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) AS cols
         FROM information_schema.table_constraints tc
         JOIN information_schema.key_column_usage kcu USING (constraint_schema, constraint_name)
        WHERE tc.constraint_schema = $1 AND tc.constraint_type = 'PRIMARY KEY'
        GROUP BY tc.table_name ORDER BY tc.table_name`,
      [schema],
    );
    expect(pks).toEqual([
      { table_name: "definitions", cols: "hash" },
      { table_name: "history", cols: "instance_id,seq" },
      { table_name: "instances", cols: "id" },
      { table_name: "messages", cols: "instance_id,seq" },
      { table_name: "migrations", cols: "id" },
      { table_name: "published", cols: "instance_id,key" },
      { table_name: "schedules", cols: "name" },
      { table_name: "tasks", cols: "instance_id,call_id" },
      { table_name: "workers", cols: "id" },
    ]);
  });

  test("rejects a schema name that is not an identifier", async () => {
    await expect(migrate(db, 'x"; DROP TABLE y; --')).rejects.toThrow(/invalid schema name/);
  });
});
