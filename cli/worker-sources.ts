import { statSync, existsSync } from "node:fs";
import { extname, join, resolve } from "node:path";
import type { Artifact } from "../ir-schema/index.ts";
import { isAction, isCompiledWorkflow } from "../runtime/index.ts";
import { ArtifactDirError, loadArtifactDir } from "../runtime/artifacts/index.ts";
import { compileFiles, conflictsOf, countErrors, renderDiagnostics } from "./compile-files.ts";
import { UsageError } from "./exit-codes.ts";
import { exported, importOnce, loadActions, type ModuleCache } from "./load-actions.ts";
import type { Output } from "./output.ts";
import { collectSourceFiles, isSourceFile } from "./source-files.ts";
import { bundleImportUrl } from "./bundle-url.ts";

export interface WorkerSources {
  /** Action values (name -> function), from every source. */
  actions: unknown[];
  workflows: Artifact[];
}

/**
 * What `cairn worker` serves, from any mix of: TypeScript files or directories
 * (compiled; every action their modules export, and the actions their workflows
 * call), artifact directories (a `manifest.json` from `cairn build` or a bundler
 * plugin), and built bundles (.js/.mjs/.cjs: their exported actions and compiled
 * workflow handles). Returns null when compilation failed (diagnostics printed).
 */
export async function loadWorkerSources(paths: readonly string[], cwd: string, out: Output): Promise<WorkerSources | null> {
  const sources: WorkerSources = { actions: [], workflows: [] };
  const tsArgs: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const stat = statSync(abs, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`no such file or directory: ${p}`);
    if (stat.isDirectory() && existsSync(join(abs, "manifest.json"))) {
      try {
        sources.workflows.push(...(await loadArtifactDir(abs)).workflows);
      } catch (error) {
        if (error instanceof ArtifactDirError) throw new UsageError(error.message);
        throw error;
      }
    } else if (stat.isFile() && [".js", ".mjs", ".cjs"].includes(extname(abs))) {
      const mod = (await import(bundleImportUrl(abs))) as Record<string, unknown>;
      collectExports(mod, sources);
    } else if (stat.isDirectory() || isSourceFile(abs)) {
      tsArgs.push(p);
    } else {
      throw new UsageError(`not a TypeScript file, bundle or artifact directory: ${p}`);
    }
  }
  if (tsArgs.length) {
    const compiled = compileFiles(collectSourceFiles(tsArgs, cwd));
    out.stderr(renderDiagnostics(compiled, cwd));
    if (countErrors(compiled.diagnostics) > 0) return null;
    // Files that clash (two workflows, or two different actions, of one name): a
    // worker cannot serve both, and this says which files, as cairn build does.
    const conflicts = conflictsOf(compiled, cwd);
    if (conflicts.length > 0) {
      out.stderr(conflicts.map((line) => `${line}\n`).join(""));
      return null;
    }
    const modules: ModuleCache = new Map();
    const seen = new Set<unknown>();
    for (const file of compiled.files) {
      // A file a directory walk found that defines no workflow is not imported: a
      // test file (which imports vitest, and fails outside its runner) or a script
      // must not run in a worker. Its actions still come in through the workflows
      // that call them; a module of actions alone is served when named explicitly.
      if (!file.explicit && file.result.workflows.length === 0) continue;
      sources.workflows.push(...file.result.workflows);
      const found: WorkerSources = { actions: [], workflows: [] };
      found.actions.push(...Object.values(await loadActions(file.result.actions, modules)));
      collectExports(await importOnce(file.path, modules), found);
      // The same action reached from two files is one value; list it once.
      for (const a of found.actions) if (!seen.has(a)) seen.add(a) && sources.actions.push(a);
    }
  }
  // A bundle's handle and its prebuilt IR (`--ir`) are the same workflow: serve it once.
  const byHash = new Map(sources.workflows.map((w) => [w.hash, w]));
  return { ...sources, workflows: [...byHash.values()] };
}

function collectExports(mod: Record<string, unknown>, into: WorkerSources): void {
  for (const value of Object.keys(mod).map((name) => exported(mod, name))) {
    if (isAction(value)) into.actions.push(value);
    else if (isCompiledWorkflow(value)) into.workflows.push(value.artifact);
  }
}
