import { InputError, runLocal, virtualClock, WorkflowError, type LocalEvent } from "../../runtime/index.ts";
import { Client, WorkflowFailedError } from "../../runtime/durable/client.ts";
import { InvalidInputError } from "../../runtime/durable/engine.ts";
import { Worker } from "../../runtime/durable/worker.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { formatEvent, formatWorkerEvent } from "../format-event.ts";
import type { Output } from "../output.ts";
import { checkInputKeys, parseInput, parseJsonArg } from "../parse-input.ts";
import { loadWorkflowFile } from "../workflow-file.ts";

export interface RunOptions {
  workflow?: string;
  input?: string;
  local?: boolean;
  skipTime?: boolean;
  /** `topic=<json>` messages sent to the instance as it starts (in order); each kept until received. */
  send?: string[];
}

/**
 * `cairn run <file.ts> [--workflow <Name>] [--input '<json>'] [--local]`: compile,
 * load the actions and run to completion — in memory with --local, otherwise
 * durably in Postgres with an in-process worker. The result is one JSON line on
 * stdout; everything else goes to stderr.
 */
export async function run(file: string, options: RunOptions, cwd: string, out: Output): Promise<ExitCode> {
  const input = parseInput(options.input, cwd);
  const loaded = await loadWorkflowFile(file, options.workflow, cwd, out);
  if (!loaded) return ExitCode.compileErrors;
  const { workflow, children, actions } = loaded;
  checkInputKeys(input, workflow.name, workflow.params);
  const messages = (options.send ?? []).map((arg) => parseMessageArg(arg, cwd));
  const succeed = (value: unknown) => {
    // JSON has no `undefined`: a workflow that returns nothing prints null.
    out.stdout(JSON.stringify(value ?? null) + "\n");
    return ExitCode.ok;
  };
  const fail = (error: { name: string; message: string }) => {
    out.stderr(JSON.stringify({ name: error.name, message: error.message }) + "\n");
    return ExitCode.workflowFailed;
  };

  if (options.skipTime && !options.local) throw new UsageError("--skip-time needs --local: a durable run waits in real time");
  if (options.local) {
    try {
      // --skip-time: sleeps and retry backoffs end at once on a virtual clock (action timeouts stay real).
      const clock = options.skipTime ? virtualClock({ start: Date.now() }) : undefined;
      const onEvent = (e: LocalEvent) => print(out, formatEvent(e));
      return succeed(await runLocal(workflow, input, { actions, workflows: children, messages, clock, onEvent }));
    } catch (error) {
      if (error instanceof InputError) throw new UsageError(`--input: ${error.message}`);
      if (!(error instanceof WorkflowError)) throw error;
      return fail(error);
    }
  }

  const { db, schema, where } = await openDatabase(cwd, out);
  out.stderr(`cairn: running ${workflow.name} durably on ${where}\n`);
  const worker = new Worker(db, { actions, workflows: [workflow, ...children], schema, migrate: false, onEvent: (e) => print(out, formatWorkerEvent(e)) });
  try {
    await worker.start();
    const client = new Client(db, { schema }, false);
    let handle;
    try {
      handle = await client.start(workflow, input);
    } catch (error) {
      if (error instanceof InvalidInputError) throw new UsageError(`--input: ${error.message}`);
      throw error;
    }
    out.stderr(`cairn: instance ${handle.id}\n`);
    for (const m of messages) await client.send(handle.id, m.topic, m.message);
    const outcome = await handle.result().then(
      (value) => ({ value }),
      (error: unknown) => ({ error }),
    );
    // The worker's last progress lines come before the result: it may tell this
    // process of the end before it has reported its own last step.
    await worker.stop(5000);
    if ("value" in outcome) return succeed(outcome.value);
    if (!(outcome.error instanceof WorkflowFailedError)) throw outcome.error;
    return fail(outcome.error);
  } finally {
    await worker.stop(5000);
    await db.close();
  }
}

function print(out: Output, line: string | null): void {
  if (line !== null) out.stderr(line + "\n");
}

/** `--send topic=<json>` (or `topic=@file.json`): one message for the run. */
function parseMessageArg(arg: string, cwd: string): { topic: string; message: unknown } {
  const eq = arg.indexOf("=");
  if (eq <= 0) throw new UsageError(`--send ${arg}: expected <topic>=<json message>, e.g. --send 'approval={"ok": true}'`);
  const message = parseJsonArg(`--send ${arg.slice(0, eq)}`, arg.slice(eq + 1), cwd);
  if (message === null) throw new UsageError(`--send ${arg}: a message cannot be null`);
  return { topic: arg.slice(0, eq), message };
}
