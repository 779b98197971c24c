import { connectDb, type Db, type DriverName } from "../runtime/store/db.ts";
import { migrate } from "../runtime/store/migrate.ts";
import { resolveDatabaseUrl } from "../runtime/durable/client.ts";
import { UsageError } from "./exit-codes.ts";
import type { Output } from "./output.ts";

export interface DatabaseSettings {
  db: Db;
  schema: string;
  /** Where it is, for messages (password removed). */
  where: string;
}

/**
 * Connects to `DATABASE_URL`, or to the embedded Postgres of `cwd` (started on first
 * use, shared by concurrent cairn processes in that directory), and applies pending
 * migrations. `CAIRN_SCHEMA` picks the schema (default `cairn`), `CAIRN_DB_DRIVER`
 * the driver (`pg` or `postgres`).
 */
export async function openDatabase(cwd: string, out: Output, options: { migrate?: boolean; pool?: number } = {}): Promise<DatabaseSettings> {
  const schema = process.env.CAIRN_SCHEMA || "cairn";
  const driver = (process.env.CAIRN_DB_DRIVER || "pg") as DriverName;
  if (driver !== "pg" && driver !== "postgres") throw new UsageError(`CAIRN_DB_DRIVER must be "pg" or "postgres", not "${driver}"`);
  let url: string;
  try {
    url = await resolveDatabaseUrl(undefined, cwd, (line) => out.stderr(`cairn: ${line}\n`));
  } catch (error) {
    throw new UsageError(`cannot start the embedded Postgres: ${(error as Error).message}`);
  }
  const where = redact(url);
  const db = await connectDb(url, { driver, onError: () => {}, ...(options.pool === undefined ? {} : { max: options.pool }) });
  try {
    if (options.migrate !== false) await migrate(db, schema);
    else await db.query("SELECT 1");
  } catch (error) {
    await db.close().catch(() => {});
    throw new UsageError(`cannot use the database at ${where}: ${(error as Error).message}`);
  }
  return { db, schema, where };
}

function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "(unparseable DATABASE_URL)";
  }
}
