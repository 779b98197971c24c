import { Client } from "../../runtime/durable/client.ts";
import { InvalidInputError } from "../../runtime/durable/engine.ts";
import { openDatabase } from "../database.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";
import { checkInputKeys, parseInput } from "../parse-input.ts";
import { chooseWorkflow, loadWorkflowFile } from "../workflow-file.ts";
import { existsSync } from "node:fs";
import { join, resolve } from "node:path";
import { MANIFEST_FILE, type Artifact } from "../../ir-schema/index.ts";
import { ArtifactDirError, loadArtifactDir, type ArtifactDir } from "../../runtime/artifacts/index.ts";

function isArtifactDir(path: string): boolean {
  return existsSync(join(path, MANIFEST_FILE));
}

/** The artifact directory, or a usage error with every problem it has. */
async function loadIr(dir: string): Promise<ArtifactDir> {
  try {
    return await loadArtifactDir(dir);
  } catch (error) {
    throw error instanceof ArtifactDirError ? new UsageError(error.message) : error;
  }
}

export interface StartOptions {
  workflow?: string;
  ir?: string;
  input?: string;
  idempotencyKey?: string;
}

/**
 * `cairn start <file.ts>` or `cairn start --ir <dir>` (also `cairn start <dir>`):
 * registers the workflow's IR, from the source or from prebuilt IR (a deploy that
 * ships only a bundle and its artifact directory), starts one instance durably and
 * prints its id.
 */
export async function start(file: string | undefined, options: StartOptions, cwd: string, out: Output): Promise<ExitCode> {
  const input = parseInput(options.input, cwd);
  const irDir = options.ir ?? (file !== undefined && isArtifactDir(resolve(cwd, file)) ? file : undefined);
  let workflow: Artifact;
  if (irDir !== undefined) {
    if (options.ir !== undefined && file !== undefined) throw new UsageError("give either a .ts file or --ir <dir>, not both");
    workflow = chooseWorkflow((await loadIr(resolve(cwd, irDir))).workflows, options.workflow, irDir);
  } else {
    if (file === undefined) throw new UsageError("give the .ts file that defines the workflow, or --ir <dir> with its prebuilt IR");
    const loaded = await loadWorkflowFile(file, options.workflow, cwd, out);
    if (!loaded) return ExitCode.compileErrors;
    workflow = loaded.workflow;
  }
  checkInputKeys(input, workflow.name, workflow.params);
  const { db, schema } = await openDatabase(cwd, out);
  try {
    const client = new Client(db, { schema }, false);
    const run = await client.start(workflow, input, { idempotencyKey: options.idempotencyKey }).catch((error: unknown) => {
      throw error instanceof InvalidInputError ? new UsageError(`--input: ${error.message}`) : error;
    });
    if (!run.created) out.stderr(`cairn: idempotency key ${JSON.stringify(options.idempotencyKey)} already started this instance\n`);
    out.stdout(run.id + "\n");
    return ExitCode.ok;
  } finally {
    await db.close();
  }
}
