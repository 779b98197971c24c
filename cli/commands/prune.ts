import { prune as pruneAll } from "../../runtime/durable/prune.ts";
import { openDatabase } from "../database.ts";
import { durationFlag } from "../duration-flag.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";

/**
 * `cairn prune [--older-than 7d]`: deletes the instances that finished (completed,
 * failed, cancelled) longer ago than that, with their tasks and history, in bounded
 * batches that do not block running workers. Workers also do this by themselves
 * (`--retention`); this is the one-off.
 */
export async function prune(options: { olderThan?: string }, cwd: string, out: Output): Promise<ExitCode> {
  const olderThanMs = durationFlag("older-than", options.olderThan ?? "7d", 1);
  if (!olderThanMs) throw new UsageError("--older-than must be a duration above 0, such as 7d or 12h");
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const deleted = await pruneAll(db, schema, olderThanMs, (total) => out.stderr(`cairn: pruned ${total} instance(s) so far\n`));
    out.stdout(`${deleted}\n`);
    out.stderr(`cairn: pruned ${deleted} instance(s) finished more than ${options.olderThan ?? "7d"} ago\n`);
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
