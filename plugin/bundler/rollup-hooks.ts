import { dirname, join, resolve } from "node:path";
import type { NormalizedOutputOptions, PluginContext as RollupContext } from "rollup";
import { ARTIFACT_SUBDIR, artifactFiles, writeArtifactFiles, type ArtifactFile } from "../pipeline/artifact-files.ts";
import { cleanId } from "../pipeline/options.ts";
import { formatDiagnostics } from "../diagnostics/format.ts";
import type { PluginContext } from "../pipeline/plugin-context.ts";

/**
 * Rollup and Vite (build): the artifacts of the modules in the bundle are written
 * next to it, to `cairn/` in the output directory (or to the explicit `outDir`),
 * when the bundle is written. Written with fs rather than emitted as assets
 * because Vite drops assets of SSR builds, which is how Node services are built.
 * Modules come from `getModuleIds()`, so a watch rebuild that served unchanged
 * modules from Rollup's cache still lists their workflows.
 */
export function rollupHooks(ctx: PluginContext) {
  // From generateBundle (which can still fail the build) to writeBundle, per output directory.
  const pending = new Map<string, ArtifactFile[]>();
  const outputDir = (output: NormalizedOutputOptions): string | null =>
    output.dir ? resolve(output.dir) : output.file ? dirname(resolve(output.file)) : null;
  return {
    generateBundle(this: RollupContext, output: NormalizedOutputOptions) {
      const built = ctx.compiler.workflowsOf([...this.getModuleIds()].map(cleanId));
      if (built.failed) return;
      const { files, errors } = artifactFiles(built, ctx.cwd);
      // Clashing names fail the build before anything is written.
      // No stack: it would show cairn's internals after the message.
      if (errors.length > 0) this.error({ message: formatDiagnostics(errors, { cwd: ctx.cwd }), stack: "" });
      pending.set(outputDir(output) ?? "", files);
    },
    writeBundle(this: RollupContext, output: NormalizedOutputOptions) {
      const key = outputDir(output);
      const files = pending.get(key ?? "");
      pending.delete(key ?? "");
      const dir = ctx.outDir ?? (key ? join(key, ARTIFACT_SUBDIR) : null);
      if (files && dir) writeArtifactFiles(dir, files);
    },
    watchChange(this: RollupContext, id: string, change: { event: string }) {
      if (change.event === "delete") ctx.compiler.forget(cleanId(id));
    },
  };
}
