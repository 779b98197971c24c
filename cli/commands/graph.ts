import { readFileSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { assertArtifact, InvalidArtifactError, type Artifact } from "../../ir-schema/index.ts";
import { loadArtifactDir } from "../../runtime/artifacts/index.ts";
import { flowGraph, GRAPH_FORMATS, toDot, toMermaid, type GraphFormat } from "../../runtime/graph/index.ts";
import { ExitCode, UsageError } from "../exit-codes.ts";
import type { Output } from "../output.ts";
import { isSourceFile } from "../source-files.ts";
import { chooseWorkflow } from "../workflow-file.ts";

/**
 * `cairn graph <file.ts | artifact.json | artifact dir> [--workflow <Name>] [--format mermaid|dot]`:
 * prints the workflow's control-flow graph, drawn from its compiled program (what
 * runs), never from the source's shape. A `.ts` file is compiled, not run.
 */
export async function graph(target: string, options: { workflow?: string; format?: string }, cwd: string, out: Output): Promise<ExitCode> {
  const format = (options.format ?? "mermaid") as GraphFormat;
  if (!GRAPH_FORMATS.includes(format)) throw new UsageError(`--format must be ${GRAPH_FORMATS.join(" or ")}, not ${options.format}`);
  const workflows = await workflowsOf(target, cwd, out);
  if (workflows === null) return ExitCode.compileErrors;
  const g = flowGraph(chooseWorkflow(workflows, options.workflow, target));
  out.stdout(format === "dot" ? toDot(g) : toMermaid(g));
  return ExitCode.ok;
}

/** The workflows `target` holds; null when a source file does not compile (its diagnostics printed). */
async function workflowsOf(target: string, cwd: string, out: Output): Promise<Artifact[] | null> {
  const path = resolve(cwd, target);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) throw new UsageError(`no such file or directory: ${target}`);
  if (stat.isDirectory()) return (await loadArtifactDir(path)).workflows;
  if (isSourceFile(path)) {
    // The compiler only for a source file: a deploy's artifacts are drawn without it.
    const { compileFiles, countErrors, renderDiagnostics } = await import("../compile-files.ts");
    const compiled = compileFiles([{ path, explicit: true }]);
    out.stderr(renderDiagnostics(compiled, cwd));
    return countErrors(compiled.diagnostics) > 0 ? null : compiled.files[0]!.result.workflows;
  }
  if (!path.endsWith(".json")) throw new UsageError(`expected a .ts file, an artifact .json or an artifact directory: ${target}`);
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, "utf8"));
  } catch (err) {
    throw new UsageError(`${target} is not JSON (${(err as Error).message})`);
  }
  try {
    return [assertArtifact(json, target)];
  } catch (err) {
    if (err instanceof InvalidArtifactError) throw new UsageError(err.message);
    throw err;
  }
}
