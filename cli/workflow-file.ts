import { statSync } from "node:fs";
import { resolve } from "node:path";
import type { Artifact } from "../ir-schema/index.ts";
import { UsageError } from "./exit-codes.ts";
import { loadActions } from "./load-actions.ts";
import type { Output } from "./output.ts";
import { isSourceFile } from "./source-files.ts";

export interface LoadedWorkflow {
  workflow: Artifact;
  /** The workflows of the file it starts as children, directly or through them. */
  children: Artifact[];
  /** Action values keyed by action name: exactly the actions the workflow and those children call. */
  actions: Record<string, unknown>;
}

/**
 * Compiles `file`, prints its diagnostics, picks the workflow (`wanted`, or the
 * only one) and imports the actions it calls. Returns null when compilation
 * failed (the diagnostics are already printed: exit 2).
 */
export async function loadWorkflowFile(file: string, wanted: string | undefined, cwd: string, out: Output): Promise<LoadedWorkflow | null> {
  const path = resolve(cwd, file);
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat?.isFile()) throw new UsageError(`no such file: ${file}`);
  if (!isSourceFile(path)) throw new UsageError(`not a TypeScript file (.ts, .tsx, .mts): ${file}`);
  // The compiler only now: `cairn start --ir` reaches this module without compiling anything.
  const { compileFiles, countErrors, renderDiagnostics } = await import("./compile-files.ts");
  const compiled = compileFiles([{ path, explicit: true }]);
  out.stderr(renderDiagnostics(compiled, cwd));
  if (countErrors(compiled.diagnostics) > 0) return null;
  const result = compiled.files[0]!.result;
  const workflow = chooseWorkflow(result.workflows, wanted, file);
  // Children declared in other modules are compiled too (and theirs): a run serves them all.
  const results = [result];
  const seen = new Set([path]);
  for (let i = 0; i < results.length; i++) {
    for (const child of results[i]!.children ?? []) {
      if (seen.has(child.file)) continue;
      seen.add(child.file);
      const more = compileFiles([{ path: child.file, explicit: true }]);
      out.stderr(renderDiagnostics(more, cwd));
      if (countErrors(more.diagnostics) > 0) return null;
      results.push(more.files[0]!.result);
    }
  }
  const children = childrenOf(workflow, results.flatMap((r) => r.workflows));
  const called = new Set([workflow, ...children].flatMap((w) => w.actions));
  const actions = await loadActions(results.flatMap((r) => r.actions).filter((a) => called.has(a.name)));
  const missing = [...called].filter((name) => !(name in actions));
  if (missing.length > 0) {
    throw new UsageError(`workflow ${workflow.name} calls action(s) ${missing.join(", ")}, whose definition was not found`);
  }
  return { workflow, children, actions };
}

/** The workflows `root` starts as children, and theirs, among `all` (a workflow starting itself needs nothing more). */
function childrenOf(root: Artifact, all: readonly Artifact[]): Artifact[] {
  const byName = new Map(all.map((w) => [w.name, w]));
  const found = new Map<string, Artifact>();
  const visit = (w: Artifact) => {
    for (const name of w.workflows ?? []) {
      const child = byName.get(name);
      if (!child || found.has(name) || name === root.name) continue;
      found.set(name, child);
      visit(child);
    }
  };
  visit(root);
  return [...found.values()];
}

export function chooseWorkflow(workflows: readonly Artifact[], wanted: string | undefined, file: string): Artifact {
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
