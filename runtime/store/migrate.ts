/**
 * Numbered SQL migrations (migrations/NNNN_name.ts), applied in order inside one
 * transaction that holds a schema-specific advisory lock, so any number of workers
 * and clients may call `migrate()` at start-up at the same time.
 */
import type { Db } from "./db.ts";
import { MIGRATIONS } from "./migrations/index.ts";

export function quoteIdent(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(name)) {
    throw new Error(`invalid schema name ${JSON.stringify(name)}: use letters, digits and underscores`);
  }
  return `"${name}"`;
}

/** Applies pending migrations; returns the names of those it applied. */
export async function migrate(db: Db, schema = "cairn"): Promise<string[]> {
  const s = quoteIdent(schema);
  await bootstrap(db, s);
  return db.transaction(async (tx) => {
    await tx.query("SELECT pg_advisory_xact_lock(hashtext($1))", [`cairn-migrate:${schema}`]);
    const done = new Set((await tx.query<{ id: number }>(`SELECT id FROM ${s}.migrations`)).map((r) => r.id));
    const applied: string[] = [];
    for (const m of MIGRATIONS) {
      if (done.has(m.id)) continue;
      await tx.query(m.sql.replaceAll(":SCHEMA", s));
      await tx.query(`INSERT INTO ${s}.migrations (id, name) VALUES ($1, $2)`, [m.id, m.name]);
      applied.push(`${String(m.id).padStart(4, "0")}_${m.name}`);
    }
    return applied;
  });
}

/**
 * Creates the schema and the migrations table. Done outside the locked transaction
 * because `IF NOT EXISTS` checks use a catalog snapshot that an advisory lock does
 * not refresh: two racing creators can both pass the check, and the loser gets a
 * duplicate-key error, which here just means "someone else did it".
 */
async function bootstrap(db: Db, s: string): Promise<void> {
  const statements = [
    `CREATE SCHEMA IF NOT EXISTS ${s}`,
    `CREATE TABLE IF NOT EXISTS ${s}.migrations (id integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
  ];
  for (const sql of statements) {
    try {
      await db.query(sql);
    } catch (err) {
      const code = (err as { code?: string }).code;
      // unique_violation (the catalog's own index), duplicate_schema, duplicate_table,
      // duplicate_object (the table's row type, created first).
      if (code !== "23505" && code !== "42P06" && code !== "42P07" && code !== "42710") throw err;
    }
  }
}
