import { dirname, join, resolve } from "node:path";
import type { NormalizedOutputOptions, PluginContext as RollupContext } from "rollup";
import { ARTIFACT_SUBDIR, artifactFiles, writeArtifactFiles, type ArtifactFile } from "./artifact-files.ts";
import { cleanId } from "./options.ts";
import type { PluginContext } from "./plugin-context.ts";

/**
 * Rollup and Vite (build): the artifacts of the modules in the bundle are written
 * next to it, to `cairn/` in the output directory (or to the explicit `outDir`),
 * when the bundle is written. Written with fs rather than emitted as assets
 * because Vite drops assets of SSR builds, which is how Node services are built.
 * Modules come from `getModuleIds()`, so a watch rebuild that served unchanged
 * modules from Rollup's cache still lists their workflows.
 */
export function rollupHooks(ctx: PluginContext) {
  const collect = (hook: RollupContext): ArtifactFile[] | null => {
    const { artifacts, failed } = ctx.compiler.artifactsOf([...hook.getModuleIds()].map(cleanId));
    if (failed) return null;
    const { files, errors } = artifactFiles(artifacts);
    if (errors.length > 0) hook.error(errors.join("\n"));
    return files;
  };
  return {
    // Duplicate workflow names fail the build before anything is written.
    generateBundle(this: RollupContext) {
      collect(this);
    },
    writeBundle(this: RollupContext, output: NormalizedOutputOptions) {
      const files = collect(this);
      const outputDir = output.dir ?? (output.file ? dirname(output.file) : null);
      const dir = ctx.outDir ?? (outputDir ? join(resolve(outputDir), ARTIFACT_SUBDIR) : null);
      if (files && dir) writeArtifactFiles(dir, files);
    },
    watchChange(this: RollupContext, id: string, change: { event: string }) {
      if (change.event === "delete") ctx.compiler.forget(cleanId(id));
    },
  };
}
