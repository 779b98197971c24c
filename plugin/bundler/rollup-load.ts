import type { NormalizedInputOptions, PluginContext as RollupContext, SourceDescription } from "rollup";
import { cleanId, mayUseCairn } from "../pipeline/options.ts";
import type { PluginContext } from "../pipeline/plugin-context.ts";
import { readText } from "../resolve/file-probes.ts";
import { transformWithBundler } from "../pipeline/bundler-resolution.ts";
import { rollupResolve } from "./bundler-resolvers.ts";
import { TYPESCRIPT_FILE, TYPESCRIPT_LOADER, typescriptEmitter, type TypeScriptEmitter } from "./typescript-emit.ts";

/**
 * Rollup and Vite: when @rollup/plugin-typescript is in the build, cairn loads
 * its own TypeScript modules (before that plugin's `load`, which emits
 * JavaScript), compiles them as written and emits them (typescript-emit.ts).
 * The transform hook then leaves them alone, or reports their errors (`ctx.loaded`).
 */
export function rollupLoadHooks(ctx: PluginContext) {
  let emitter: TypeScriptEmitter | null = null;
  let typescriptLoads = false;
  return {
    buildStart(options: NormalizedInputOptions) {
      typescriptLoads = (options.plugins ?? []).some((p) => p.name === TYPESCRIPT_LOADER);
      ctx.loaded.clear();
    },
    load: {
      order: "pre" as const,
      async handler(this: RollupContext, id: string): Promise<SourceDescription | null> {
        const file = cleanId(id);
        if (!typescriptLoads || !TYPESCRIPT_FILE.test(file) || !ctx.filter.test(file)) return null;
        const code = readText(file);
        if (code === null || !mayUseCairn(code)) return null;
        const outcome = await transformWithBundler(ctx.compiler, code, file, rollupResolve(this));
        ctx.loaded.set(file, outcome);
        // cairn's transform reports the outcome: Rollup wraps an error thrown by `load` in "Could not load ...",
        // which would name the module twice. With errors, the TypeScript plugin emits the module meanwhile.
        if (outcome.errors.length > 0 || !outcome.output) return null;
        try {
          emitter ??= typescriptEmitter(ctx.cwd);
        } catch (e) {
          this.error((e as Error).message);
        }
        const { code: js, map } = emitter.emit(outcome.output, file, ctx.mapsWanted);
        return map ? { code: js, map: map as SourceDescription["map"] } : { code: js };
      },
    },
  };
}
