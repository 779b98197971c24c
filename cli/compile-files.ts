import { readFileSync } from "node:fs";
import { buildConflicts, compile, createModuleCache, formatDiagnostics, nodeResolver } from "../plugin/index.ts";
import type { CompileResult, Diagnostic, ModuleResolver } from "../plugin/index.ts";
import { validateArtifact } from "../ir-schema/index.ts";
import { findProjectRoot } from "./project-root.ts";
import { mayDefineWorkflow, type SourceFile } from "./source-files.ts";

export interface CompiledFile {
  path: string;
  root: string;
  /** Named on the command line, rather than found by a directory walk. */
  explicit: boolean;
  result: CompileResult;
}

export interface CompiledFiles {
  files: CompiledFile[];
  diagnostics: Diagnostic[];
  /** Text of every file read, so diagnostics can show their code frame. */
  sources: Map<string, string>;
  /** Files skipped by the cheap pre-check (found by a directory walk, no workflow). */
  skipped: number;
}

/**
 * Compiles each file against its own project root, sharing one parsed-module cache
 * so a module imported by many workflow files is parsed once per CLI run.
 */
export function compileFiles(files: readonly SourceFile[]): CompiledFiles {
  const cache = createModuleCache();
  const resolvers = new Map<string, ModuleResolver>();
  const sources = new Map<string, string>();
  const compiled: CompiledFile[] = [];
  let skipped = 0;
  for (const file of files) {
    const source = readFileSync(file.path, "utf8");
    if (!file.explicit && !mayDefineWorkflow(source)) {
      skipped++;
      continue;
    }
    sources.set(file.path, source);
    const root = findProjectRoot(file.path);
    let resolver = resolvers.get(root);
    if (!resolver) resolvers.set(root, (resolver = nodeResolver(root)));
    compiled.push({ path: file.path, root, explicit: file.explicit, result: compile(source, file.path, resolver, { root, cache, validate: validateArtifact }) });
  }
  return { files: compiled, diagnostics: compiled.flatMap((f) => f.result.diagnostics), sources, skipped };
}

/**
 * Errors of the files taken together (buildConflicts: two workflows, or two
 * different actions, of one name), as diagnostics; only once every
 * file compiled cleanly, since a file with errors contributes nothing to compare.
 * `served`: the files are what a worker serves, every action they export
 * included (`cairn worker`, and `cairn check`, which fails where either would);
 * else only the actions the workflows call count (`cairn build`: the IR it writes
 * names those).
 */
export function conflictsOf(compiled: CompiledFiles, cwd: string, served: boolean): Diagnostic[] {
  if (countErrors(compiled.diagnostics) > 0) return [];
  const modules = compiled.files.map((f) => ({
    file: f.path, workflows: f.result.workflows.map((w) => w.name), actions: f.result.actions, declared: served ? f.result.declared : [],
    schedules: (f.result.schedules ?? []).map((s) => s.name),
  }));
  return buildConflicts(modules, cwd);
}

export function countErrors(diagnostics: readonly Diagnostic[]): number {
  return diagnostics.filter((d) => d.severity === "error").length;
}

/** Errors of the build as a whole (conflictsOf) as the user sees them, as every diagnostic is shown; "" for none. */
export function renderConflicts(conflicts: readonly Diagnostic[], cwd: string): string {
  return conflicts.length === 0 ? "" : formatDiagnostics(conflicts, { cwd }) + "\n\n";
}

/** All diagnostics as the user sees them, paths relative to `cwd`; "" when there are none. */
export function renderDiagnostics(compiled: CompiledFiles, cwd: string): string {
  if (compiled.diagnostics.length === 0) return "";
  // A diagnostic may point into an imported module the CLI never read itself.
  for (const d of compiled.diagnostics) {
    if (!compiled.sources.has(d.file)) {
      try {
        compiled.sources.set(d.file, readFileSync(d.file, "utf8"));
      } catch {
        // No code frame for a file that vanished; the location line is still printed.
      }
    }
  }
  // A blank line after the last block too, so the summary line stands apart.
  return formatDiagnostics(compiled.diagnostics, { cwd, sources: compiled.sources }).trimEnd() + "\n\n";
}
