import { createUnplugin, type UnpluginBuildContext, type UnpluginContext, type UnpluginOptions } from "unplugin";
import { esbuildSetup } from "./esbuild-setup.ts";
import { diagnosticsText, rollupError } from "./messages.ts";
import { CAIRN_CODE_FILTER, cleanId, mayUseCairn, type CairnPluginOptions } from "./options.ts";
import { PLUGIN_NAME, createPluginContext, type PluginContext } from "./plugin-context.ts";
import { rollupHooks } from "./rollup-hooks.ts";
import { webpackHooks } from "./webpack-hooks.ts";

type Framework = "rollup" | "vite" | "webpack" | "esbuild" | string;

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
      filter: { id: { include: ctx.filter.include, exclude: ctx.filter.exclude }, code: { include: CAIRN_CODE_FILTER } },
      handler(code, id) {
        return transformHook(this, ctx, meta.framework, code, id);
      },
    },
    rollup: rollupHooks(ctx),
    vite: rollupHooks(ctx),
    webpack: webpackHooks(ctx),
  };
  return plugin;
});

function transformHook(hook: UnpluginBuildContext & UnpluginContext, ctx: PluginContext, framework: Framework, code: string, id: string) {
  const file = cleanId(id);
  // Repeated here: not every bundler version applies hook filters natively.
  if (!ctx.filter.test(file) || !mayUseCairn(code)) return null;
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
  return outcome.output && { code: outcome.output.code, map: outcome.output.map };
}
