import { migrate as applyMigrations } from "../../runtime/store/migrate.ts";
import { openDatabase } from "../database.ts";
import { ExitCode } from "../exit-codes.ts";
import type { Output } from "../output.ts";

/** `cairn migrate`: creates or upgrades cairn's tables in the configured schema. */
export async function migrate(cwd: string, out: Output): Promise<ExitCode> {
  const { db, schema, where } = await openDatabase(cwd, out, { migrate: false });
  try {
    const applied = await applyMigrations(db, schema);
    out.stderr(
      applied.length
        ? `cairn: applied ${applied.join(", ")} to schema ${schema} on ${where}\n`
        : `cairn: schema ${schema} on ${where} is up to date\n`,
    );
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
