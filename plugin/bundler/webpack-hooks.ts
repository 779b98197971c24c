import type { Compilation, Compiler, Module } from "webpack";
import { ARTIFACT_SUBDIR, artifactFiles, writeArtifactFiles } from "../pipeline/artifact-files.ts";
import { cleanId } from "../pipeline/options.ts";
import { formatDiagnostic } from "../diagnostics/format.ts";
import { PLUGIN_NAME, type PluginContext } from "../pipeline/plugin-context.ts";

/**
 * webpack: the artifacts of the modules in this compilation become assets under
 * `cairn/` (so webpack writes them where it writes the bundle, also into an
 * in-memory file system), or are written to the explicit `outDir`.
 */
export function webpackHooks(ctx: PluginContext) {
  return (compiler: Compiler): void => {
    const { Compilation: CompilationClass, WebpackError, sources } = compiler.webpack;
    compiler.hooks.thisCompilation.tap(PLUGIN_NAME, (compilation: Compilation) => {
      compilation.hooks.processAssets.tap({ name: PLUGIN_NAME, stage: CompilationClass.PROCESS_ASSETS_STAGE_ADDITIONAL }, () => {
        const built = ctx.compiler.workflowsOf(moduleFiles(compilation));
        if (built.failed) return;
        const { files, errors } = artifactFiles(built, ctx.cwd);
        if (errors.length > 0) {
          for (const e of errors) compilation.errors.push(new WebpackError(`[${PLUGIN_NAME}] ${formatDiagnostic(e, { cwd: ctx.cwd })}`));
          return;
        }
        if (ctx.outDir) writeArtifactFiles(ctx.outDir, files);
        else for (const f of files) compilation.emitAsset(`${ARTIFACT_SUBDIR}/${f.fileName}`, new sources.RawSource(f.source));
      });
    });
    compiler.hooks.watchRun.tap(PLUGIN_NAME, (c: Compiler) => {
      for (const file of c.removedFiles ?? []) ctx.compiler.forget(file);
    });
  };
}

/** Resource paths of every module, looking inside modules that production mode concatenated. */
function moduleFiles(compilation: Compilation): Set<string> {
  const out = new Set<string>();
  const add = (m: Module) => {
    const resource = (m as { resource?: string }).resource;
    if (resource) out.add(cleanId(resource));
    for (const inner of (m as { modules?: Iterable<Module> }).modules ?? []) add(inner);
  };
  for (const m of compilation.modules) add(m);
  return out;
}
