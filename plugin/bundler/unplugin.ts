import { readFileSync } from "node:fs";
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext, type UnpluginOptions, type WebpackCompiler } from "unplugin";
import { esbuildSetup } from "./esbuild-setup.ts";
import { diagnosticsText, rollupError } from "../pipeline/messages.ts";
import { cleanId, mayUseCairn, type CairnPluginOptions } from "../pipeline/options.ts";
import { PLUGIN_NAME, createPluginContext, type PluginContext } from "../pipeline/plugin-context.ts";
import { rollupHooks } from "./rollup-hooks.ts";
import { webpackHooks } from "./webpack-hooks.ts";

/**
 * The one cairn plugin, adapted to each bundler by unplugin. Every adapter runs
 * the same ModuleCompiler (quick check, content-hash cache, compile(), rewrite);
 * what differs is how errors are shown and where artifacts are written.
 * State lives in the instance: one `cairn()` call per bundler config.
 */
export const cairnUnplugin = createUnplugin<CairnPluginOptions | undefined>((options, meta) => {
  const ctx = createPluginContext(options ?? {});
  if (meta.framework === "esbuild") return { name: PLUGIN_NAME, esbuild: { setup: esbuildSetup(ctx) } };
  const plugin: UnpluginOptions = {
    name: PLUGIN_NAME,
    // Before any TypeScript transform: the compiler reads the original source.
    enforce: "pre",
    transform: {
      // The code check stays in the handler (a few microseconds per module), so
      // that a module which stops importing cairn drops its workflows in watch mode.
      filter: { id: { include: ctx.filter.include, exclude: ctx.filter.exclude } },
      handler(code, id) {
        return transformHook(this, ctx, meta.framework, code, id);
      },
    },
    buildEnd() {
      ctx.compiler.flush();
    },
    rollup: rollupHooks(ctx),
    vite: {
      ...rollupHooks(ctx),
      // Rollup's output options are unknown while it transforms; Vite's are known. The dev server always maps.
      configResolved(config: { command: string; build: { sourcemap: unknown } }) {
        ctx.mapsWanted = config.command === "serve" || Boolean(config.build.sourcemap);
      },
    },
    webpack: webpackHooks(ctx),
  };
  if (meta.framework === "webpack") {
    // webpack runs a loader for every module the rule matches, at a fixed cost far
    // above the quick check; deciding at rule-matching time, on the file's text,
    // keeps the loader off every module that does not import cairn. The text is
    // read through webpack's cached file system, which webpack reads it from next.
    // Not in watch mode, where webpack keeps a module's loaders when the module
    // changes: a module that starts importing cairn must still reach the plugin.
    const { compiler } = (meta as { webpack: { compiler: WebpackCompiler } }).webpack;
    plugin.transformInclude = (id) => ctx.filter.test(id) && (compiler.watchMode || fileMayUseCairn(compiler, cleanId(id)));
  }
  return plugin;
});

function transformHook(hook: UnpluginBuildContext & UnpluginContext, ctx: PluginContext, framework: string, code: string, id: string) {
  const file = cleanId(id);
  // Repeated here: not every bundler version applies hook filters natively.
  if (!ctx.filter.test(file)) return null;
  if (!mayUseCairn(code)) {
    ctx.compiler.forget(file);
    return null;
  }
  const outcome = ctx.compiler.transform(code, file);
  for (const dep of outcome.deps) hook.addWatchFile(dep);
  if (outcome.warnings.length > 0) {
    const text = diagnosticsText(outcome.warnings, code, ctx.cwd);
    hook.warn(framework === "webpack" ? text : { ...rollupError(outcome.warnings, code, ctx.cwd), message: text });
  }
  if (outcome.errors.length > 0) {
    if (framework === "webpack") {
      hook.error(diagnosticsText(outcome.errors, code, ctx.cwd));
      return null;
    }
    // Rollup and Vite throw here; `frame` and `loc` feed their printers and Vite's overlay.
    hook.error(rollupError(outcome.errors, code, ctx.cwd));
    return null;
  }
  if (!outcome.output) return null;
  const native = hook.getNativeBuildContext?.();
  const wantsMap = ctx.mapsWanted && (native?.framework !== "webpack" || native.loaderContext?.sourceMap !== false);
  return wantsMap ? { code: outcome.output.code, map: outcome.output.map() } : { code: outcome.output.code };
}

function fileMayUseCairn(compiler: WebpackCompiler, file: string): boolean {
  try {
    const fs = compiler.inputFileSystem as { readFileSync?: (path: string) => Buffer | string } | null;
    const text = fs?.readFileSync ? fs.readFileSync(file) : readFileSync(file);
    return mayUseCairn(text);
  } catch {
    return false;
  }
}
