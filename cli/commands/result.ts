import { Client, WorkflowFailedError } from "../../runtime/durable/client.ts";
import { UnknownWorkflowError } from "../../runtime/durable/engine.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { instanceId } from "../instance-id.ts";
import type { Output } from "../output.ts";

/**
 * `cairn result <id> [--wait]`: the result as one JSON line (exit 0), or the error
 * JSON on stderr (exit 1); without --wait, exit 4 while the instance still runs.
 */
export async function result(id: string, options: { wait?: boolean }, cwd: string, out: Output): Promise<ExitCode> {
  instanceId(id);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    try {
      const done = options.wait ? { value: await client.result(id) } : await client.peek(id);
      if (!done) {
        out.stderr(`cairn: instance ${id} is still running (use --wait to wait for it)\n`);
        return ExitCode.stillRunning;
      }
      out.stdout(JSON.stringify(done.value ?? null) + "\n");
      return ExitCode.ok;
    } catch (error) {
      if (error instanceof UnknownWorkflowError) throw new UsageError(error.message);
      if (!(error instanceof WorkflowFailedError)) throw error;
      out.stderr(JSON.stringify({ name: error.name, message: error.message }) + "\n");
      return ExitCode.workflowFailed;
    }
  } finally {
    await db.close();
  }
}
