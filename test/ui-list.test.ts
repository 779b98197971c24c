/**
 * The UI's instance list: keyset pages on (created_at, id), newest first, with no
 * row lost or repeated across pages (ties on created_at included), filters, id
 * prefixes; and each page's query reads an index rather than sorting the table
 * (ordering by the output column instead of the table's made it a full sort).
 */
import { afterAll, beforeAll, expect, test } from "vitest";
import type { Db } from "../runtime/store/db.ts";
import { migrate } from "../runtime/store/migrate.ts";
import { listQuery, uiQueries, type ListFilter } from "../cli/ui/data.ts";
import { dropSchema, freshSchemaName, openTestDb } from "./helpers/db.ts";

let db: Db;
const schema = freshSchemaName("uil");
const ui = uiQueries(schema);
const ROWS = 20_000;

beforeAll(async () => {
  db = await openTestDb();
  await migrate(db, schema);
  await db.query(`INSERT INTO "${schema}".definitions (hash, name, ir) VALUES ('h1', 'Alpha', '{}'), ('h2', 'Beta', '{}')`);
  // Every 7 rows share a created_at, so the id decides their order.
  await db.query(
    `INSERT INTO "${schema}".instances (id, workflow, hash, status, input, state, created_at)
     SELECT gen_random_uuid(), CASE WHEN i % 10 = 0 THEN 'Beta' ELSE 'Alpha' END, CASE WHEN i % 10 = 0 THEN 'h2' ELSE 'h1' END,
            CASE WHEN i % 500 = 0 THEN 'failed' ELSE 'completed' END, '{}', '{}', timestamptz '2026-01-01' + (i / 7) * interval '1 second'
       FROM generate_series(1, ${ROWS}) i`,
  );
  await db.query(`ANALYZE "${schema}".instances`);
});
afterAll(async () => {
  await dropSchema(db, schema);
  await db.close();
});

async function walk(filter: ListFilter, limit: number): Promise<string[]> {
  const ids: string[] = [];
  let before: string | undefined;
  for (;;) {
    const page = await ui.instances(db, { ...filter, before }, limit);
    ids.push(...page.rows.map((r) => r.id));
    if (!page.more) return ids;
    const last = page.rows.at(-1)!;
    before = `${last.created_us}.${last.id}`;
  }
}

test("pages follow each other with no row lost or repeated, newest first", async () => {
  const expected = await db.query<{ id: string }>(`SELECT id FROM "${schema}".instances WHERE status = 'failed' ORDER BY created_at DESC, id DESC`);
  expect(await walk({ status: "failed" }, 7)).toEqual(expected.map((r) => r.id));
  const beta = await db.query<{ id: string }>(`SELECT id FROM "${schema}".instances WHERE workflow = 'Beta' AND created_at > timestamptz '2026-01-01' + interval '2700 seconds' ORDER BY created_at DESC, id DESC`);
  const walked = await walk({ workflow: "Beta" }, 50);
  expect(walked.slice(0, beta.length)).toEqual(beta.map((r) => r.id));
  expect(new Set(walked).size).toBe(ROWS / 10);
});

test("a time window keeps the instances created in it", async () => {
  const since = Date.parse("2026-01-01T00:10:00Z");
  const until = Date.parse("2026-01-01T00:20:00Z");
  const [{ n }] = await db.query<{ n: string }>(
    `SELECT count(*)::text AS n FROM "${schema}".instances WHERE workflow = 'Alpha' AND created_at >= '2026-01-01T00:10:00Z' AND created_at < '2026-01-01T00:20:00Z'`,
  );
  const ids = await walk({ workflow: "Alpha", since, until }, 500);
  expect(ids.length).toBe(Number(n));
  expect(ids.length).toBeGreaterThan(1000);
});

test("an id prefix finds the instances whose id starts with it", async () => {
  const [{ id }] = await db.query<{ id: string }>(`SELECT id FROM "${schema}".instances LIMIT 1`);
  const found = await ui.instances(db, { id: id.slice(0, 10) });
  expect(found.rows.map((r) => r.id)).toContain(id);
  for (const r of found.rows) expect(r.id.startsWith(id.slice(0, 10))).toBe(true);
  expect((await ui.instances(db, { id: id.toUpperCase() })).rows.map((r) => r.id)).toEqual([id]);
  expect((await ui.instances(db, { id: "not-hex" })).rows).toEqual([]);
});

test("every page is an index range scan, never a sort of the table", async () => {
  const [{ created_us, id }] = await db.query<{ created_us: string; id: string }>(
    `SELECT ((extract(epoch from created_at) * 1000000)::bigint)::text AS created_us, id FROM "${schema}".instances ORDER BY created_at DESC, id DESC OFFSET 9000 LIMIT 1`,
  );
  const before = `${created_us}.${id}`;
  for (const f of [{}, { workflow: "Beta" }, { status: "failed" as const }, { before }, { workflow: "Alpha", before }, { status: "failed" as const, before },
    { since: Date.parse("2026-01-01T00:10:00Z"), until: Date.parse("2026-01-01T00:20:00Z") }]) {
    const q = listQuery(`"${schema}"`, f)!;
    const plan = (await db.query<{ "QUERY PLAN": string }>(`EXPLAIN ${q.sql}`, q.args)).map((r) => r["QUERY PLAN"]).join("\n");
    expect(plan, JSON.stringify(f)).toMatch(/Index Scan/);
    expect(plan, JSON.stringify(f)).not.toMatch(/Sort|Seq Scan/);
  }
});
