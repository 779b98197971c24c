import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Artifact } from "../../ir-schema/index.ts";
import { InputError, runLocal, WorkflowError } from "../../runtime/index.ts";
import { compileFiles, countErrors, renderDiagnostics } from "../compile-files.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import { formatEvent } from "../format-event.ts";
import { loadActions } from "../load-actions.ts";
import type { Output } from "../output.ts";
import { checkInputKeys, parseInput } from "../parse-input.ts";
import { isSourceFile } from "../source-files.ts";
import { DURABLE_UNAVAILABLE } from "./unavailable.ts";

export interface RunOptions {
  workflow?: string;
  input?: string;
  local?: boolean;
}

/**
 * `cairn run <file.ts> [--workflow <Name>] [--input '<json>'] --local`: compile,
 * load the actions, run to completion in memory; the result is one JSON line on
 * stdout, everything else goes to stderr.
 */
export async function run(file: string, options: RunOptions, cwd: string, out: Output): Promise<ExitCode> {
  const input = parseInput(options.input);
  if (!options.local) {
    throw new UsageError(`durable runs are ${DURABLE_UNAVAILABLE}; use --local to run in memory`);
  }
  const path = resolve(cwd, file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`no such file: ${file}`);
  if (!isSourceFile(path)) throw new UsageError(`not a TypeScript file (.ts, .tsx, .mts): ${file}`);

  const compiled = compileFiles([{ path, explicit: true }]);
  out.stderr(renderDiagnostics(compiled, cwd));
  if (countErrors(compiled.diagnostics) > 0) return ExitCode.compileErrors;
  const result = compiled.files[0]!.result;
  const workflow = chooseWorkflow(result.workflows, options.workflow, file);
  checkInputKeys(input, workflow.name, workflow.params);

  const actions = await loadActions(result.actions.filter((a) => workflow.actions.includes(a.name)));
  const missing = workflow.actions.filter((name) => !(name in actions));
  if (missing.length > 0) {
    throw new UsageError(`workflow ${workflow.name} calls action(s) ${missing.join(", ")}, whose definition was not found`);
  }
  try {
    const value = await runLocal(workflow, input, {
      actions,
      onEvent: (event) => {
        const line = formatEvent(event);
        if (line !== null) out.stderr(line + "\n");
      },
    });
    // JSON has no `undefined`: a workflow that returns nothing prints null.
    out.stdout(JSON.stringify(value ?? null) + "\n");
    return ExitCode.ok;
  } catch (error) {
    if (error instanceof InputError) throw new UsageError(`--input: ${error.message}`);
    if (!(error instanceof WorkflowError)) throw error;
    out.stderr(JSON.stringify({ name: error.name, message: error.message }) + "\n");
    return ExitCode.workflowFailed;
  }
}

function chooseWorkflow(workflows: readonly Artifact[], wanted: string | undefined, file: string): Artifact {
  const names = workflows.map((w) => w.name).join(", ");
  if (wanted !== undefined) {
    const found = workflows.find((w) => w.name === wanted);
    if (!found) throw new UsageError(`no workflow named ${wanted} in ${file}; it defines: ${names || "none"}`);
    return found;
  }
  if (workflows.length === 1) return workflows[0]!;
  if (workflows.length === 0) throw new UsageError(`no workflow found in ${file}`);
  throw new UsageError(`${file} defines several workflows (${names}); choose one with --workflow <Name>`);
}
