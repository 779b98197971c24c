import { MessageRejectedError } from "../../runtime/api/errors.ts";
import { Client } from "../../runtime/durable/client.ts";
import { InvalidInputError } from "../../runtime/durable/engine.ts";
import { PayloadError } from "../../runtime/payload.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { instanceId } from "../instance-id.ts";
import type { Output } from "../output.ts";
import { parseJsonArg } from "../parse-input.ts";

/**
 * `cairn send <id> <topic> [--message json|@file|-] [--idempotency-key k]`: sends a
 * message to a running instance; its next `receive(topic)` gets it (messages sent
 * before it waits are kept, in order). Without --message the message is `true`, a
 * plain signal. An unknown or finished instance is a usage error (exit 3).
 */
export async function send(
  id: string, topic: string, options: { message?: string; idempotencyKey?: string }, cwd: string, out: Output,
): Promise<ExitCode> {
  instanceId(id);
  const message = options.message === undefined ? true : parseJsonArg("--message", options.message, cwd);
  if (message === null) throw new UsageError("--message: a message cannot be null");
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    try {
      await client.send(id, topic, message, options.idempotencyKey === undefined ? {} : { idempotencyKey: options.idempotencyKey });
    } catch (error) {
      if (error instanceof MessageRejectedError || error instanceof InvalidInputError || error instanceof PayloadError) throw new UsageError(error.message);
      throw error;
    }
    out.stderr(`cairn: sent '${topic}' to ${id}\n`);
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
