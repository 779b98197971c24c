import { Client } from "../../runtime/durable/client.ts";
import { InvalidInputError } from "../../runtime/durable/engine.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";
import { checkInputKeys, parseInput } from "../parse-input.ts";
import { loadWorkflowFile } from "../workflow-file.ts";

export interface StartOptions {
  workflow?: string;
  input?: string;
  idempotencyKey?: string;
}

/** `cairn start <file.ts>`: registers the workflow's IR, starts one instance durably, prints its id. */
export async function start(file: string, options: StartOptions, cwd: string, out: Output): Promise<ExitCode> {
  const input = parseInput(options.input, cwd);
  const loaded = await loadWorkflowFile(file, options.workflow, cwd, out);
  if (!loaded) return ExitCode.compileErrors;
  checkInputKeys(input, loaded.workflow.name, loaded.workflow.params);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    const run = await client.start(loaded.workflow, input, { idempotencyKey: options.idempotencyKey }).catch((error: unknown) => {
      throw error instanceof InvalidInputError ? new UsageError(`--input: ${error.message}`) : error;
    });
    if (!run.created) out.stderr(`cairn: idempotency key ${JSON.stringify(options.idempotencyKey)} already started this instance\n`);
    out.stdout(run.id + "\n");
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
