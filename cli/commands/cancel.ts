import { Client } from "../../runtime/durable/client.ts";
import { UnknownWorkflowError } from "../../runtime/durable/engine.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { instanceId } from "../instance-id.ts";
import type { Output } from "../output.ts";

/**
 * `cairn cancel <id> [--reason <text>]`: stops the instance (no further step runs,
 * its queued tasks are dropped, running attempts are aborted); it then fails with
 * a CancelledError carrying the reason. Cancelling an instance that has already
 * finished changes nothing and says so; both exit 0, so a script can cancel
 * without checking first.
 */
export async function cancel(id: string, options: { reason?: string }, cwd: string, out: Output): Promise<ExitCode> {
  instanceId(id);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    let cancelled: boolean;
    try {
      cancelled = await client.handle(id).cancel(options.reason);
    } catch (error) {
      if (error instanceof UnknownWorkflowError) throw new UsageError(error.message);
      throw error;
    }
    if (cancelled) out.stderr(`cairn: cancelled ${id}\n`);
    else out.stderr(`cairn: instance ${id} had already finished (${(await client.status(id)).status}); nothing to cancel\n`);
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
