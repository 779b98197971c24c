import { statSync, existsSync } from "node:fs";
import { extname, join, relative, resolve } from "node:path";
import type { Artifact, ScheduleEntry } from "../ir-schema/index.ts";
import { isAction, isCompiledWorkflow } from "../runtime/index.ts";
import { ArtifactDirError, loadArtifactDir } from "../runtime/artifacts/index.ts";
import { UsageError } from "./exit-codes.ts";
import { exported, importOnce, loadActions, type ModuleCache } from "./load-actions.ts";
import type { Output } from "./output.ts";
import { collectSourceFiles, isSourceFile } from "./source-files.ts";
import { bundleImportUrl } from "./bundle-url.ts";
import { scheduleEntries } from "../runtime/durable/schedule-source.ts";
import { prepareUserCodeLoading } from "./user-code.ts";

export interface WorkerSources {
  /** Action values (name -> function), from every source. */
  actions: unknown[];
  workflows: Artifact[];
  /** The schedules of the build (artifact directories' manifests, compiled files), for the served workflows' sake. */
  schedules: ScheduleEntry[];
}

/**
 * What `cairn worker` serves, from any mix of: TypeScript files or directories
 * (compiled; every action their modules export, and the actions their workflows
 * call), artifact directories (a `manifest.json` from `cairn build` or a bundler
 * plugin), and built bundles (.js/.mjs/.cjs: their exported actions and compiled
 * workflow handles). Returns null when compilation failed or the files clash
 * (buildConflicts), with the problems printed.
 */
export async function loadWorkerSources(paths: readonly string[], cwd: string, out: Output): Promise<WorkerSources | null> {
  const sources: WorkerSources = { actions: [], workflows: [], schedules: [] };
  /** Where each version (hash) of a workflow came from, for versionsWarnings. */
  const origins = new Map<string, string>();
  const addWorkflows = (workflows: readonly Artifact[], from: string) => {
    for (const w of workflows) if (!origins.has(w.hash)) origins.set(w.hash, from);
    sources.workflows.push(...workflows);
  };
  const tsArgs: string[] = [];
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const stat = statSync(abs, { throwIfNoEntry: false });
    if (!stat) throw new UsageError(`no such file or directory: ${p}`);
    if (stat.isDirectory() && existsSync(join(abs, "manifest.json"))) {
      try {
        const dir = await loadArtifactDir(abs);
        addWorkflows(dir.workflows, p);
        sources.schedules.push(...(dir.manifest.schedules ?? []));
      } catch (error) {
        if (error instanceof ArtifactDirError) throw new UsageError(error.message);
        throw error;
      }
    } else if (stat.isFile() && [".js", ".mjs", ".cjs"].includes(extname(abs))) {
      const found: WorkerSources = { actions: [], workflows: [], schedules: [] };
      prepareUserCodeLoading();
      // A workflow export the build did not compile would silently not be served: say so.
      collectExports((await import(bundleImportUrl(abs))) as Record<string, unknown>, found, (exportName, name) =>
        out.stderr(
          `cairn: warning: export ${exportName} of ${p} is workflow ${name}, but no cairn bundler plugin compiled it, so it is not served; ` +
            "add the plugin to the build (cairnjs/esbuild, /vite, /rollup, /webpack, /babel) or serve its prebuilt IR with --ir\n",
        ),
      );
      sources.actions.push(...found.actions);
      addWorkflows(found.workflows, p);
      sources.schedules.push(...found.schedules);
    } else if (stat.isDirectory() || isSourceFile(abs)) {
      tsArgs.push(p);
    } else {
      throw new UsageError(`not a TypeScript file, bundle or artifact directory: ${p}`);
    }
  }
  if (tsArgs.length) {
    // The compiler only now: serving bundles and prebuilt IR loads none of it.
    const { compileFiles, conflictsOf, countErrors, renderConflicts, renderDiagnostics } = await import("./compile-files.ts");
    const compiled = compileFiles(collectSourceFiles(tsArgs, cwd));
    out.stderr(renderDiagnostics(compiled, cwd));
    if (countErrors(compiled.diagnostics) > 0) return null;
    // Files that clash (two workflows, or two different actions, of one name): a
    // worker cannot serve both, and this says which files, as cairn build does.
    const conflicts = conflictsOf(compiled, cwd, true);
    if (conflicts.length > 0) {
      out.stderr(renderConflicts(conflicts, cwd));
      return null;
    }
    const modules: ModuleCache = new Map();
    const seen = new Set<unknown>();
    for (const file of compiled.files) {
      sources.schedules.push(...(file.result.schedules ?? []));
      // Of a directory, only what defines workflows or actions is imported: a worker
      // must not run a project's scripts (the walk already left out test files,
      // which throw outside their runner). A file named explicitly is always imported.
      if (!file.explicit && file.result.workflows.length === 0 && file.result.declared.length === 0) continue;
      addWorkflows(file.result.workflows, relative(cwd, file.path));
      const found: WorkerSources = { actions: [], workflows: [], schedules: [] };
      found.actions.push(...Object.values(await loadActions(file.result.actions, modules)));
      collectExports(await importOnce(file.path, modules), found);
      // The same action reached from two files is one value; list it once.
      for (const a of found.actions) if (!seen.has(a)) seen.add(a) && sources.actions.push(a);
    }
  }
  // A bundle's handle and its prebuilt IR (`--ir`) are the same workflow: serve it once.
  const workflows = [...new Map(sources.workflows.map((w) => [w.hash, w])).values()];
  for (const line of versionsWarnings(workflows, origins)) out.stderr(`cairn: warning: ${line}\n`);
  // A schedule from a bundle's prebuilt IR and from its sources is one schedule.
  const schedules = [...new Map(sources.schedules.map((s) => [s.name, s])).values()];
  return { ...sources, workflows, schedules };
}

/**
 * Two versions of one workflow from different sources are served side by side
 * (instances run the version they started with), but they usually mean a deploy
 * mistake: a bundle and an artifact directory from different builds.
 */
function versionsWarnings(workflows: readonly Artifact[], origins: ReadonlyMap<string, string>): string[] {
  const byName = new Map<string, Artifact[]>();
  for (const w of workflows) byName.set(w.name, [...(byName.get(w.name) ?? []), w]);
  return [...byName]
    .filter(([, versions]) => versions.length > 1)
    .map(
      ([name, versions]) =>
        `serving ${versions.length} versions of workflow ${name}: ${versions.map((w) => `${w.hash.slice(7, 19)} from ${origins.get(w.hash)}`).join(", ")}; ` +
        "are they from different builds?",
    );
}

function collectExports(mod: Record<string, unknown>, into: WorkerSources, uncompiled?: (exportName: string, workflow: string) => void): void {
  for (const name of Object.keys(mod)) {
    const value = exported(mod, name);
    if (isAction(value)) into.actions.push(value);
    else if (isCompiledWorkflow(value)) into.workflows.push(value.artifact);
    else if (uncompiled && isUncompiledWorkflow(value)) uncompiled(name, value.workflowName);
    // A bundle's `export const x = schedule(...)`: a schedule named x, as the build's manifest names it.
    else into.schedules.push(...scheduleEntries({ [name]: value }));
  }
}

/** What `workflow(...)` returns when no cairn plugin compiled the module: a function or class with its name. */
function isUncompiledWorkflow(value: unknown): value is { workflowName: string } {
  return (typeof value === "function") && typeof (value as { workflowName?: unknown }).workflowName === "string";
}

