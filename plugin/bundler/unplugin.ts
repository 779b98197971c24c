import { readFileSync } from "node:fs";
import { createUnplugin, type UnpluginBuildContext, type UnpluginContext, type UnpluginOptions, type WebpackCompiler } from "unplugin";
import { esbuildSetup } from "./esbuild-setup.ts";
import { readText } from "../resolve/file-probes.ts";
import type { PluginContext as RollupContext } from "rollup";
import { transformWithBundler } from "../pipeline/bundler-resolution.ts";
import { rollupResolve, webpackResolve } from "./bundler-resolvers.ts";
import { failModule, reportOutcome } from "./report.ts";
import { rollupLoadHooks } from "./rollup-load.ts";
import { TYPESCRIPT_FILE } from "./typescript-emit.ts";
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
      // Rollup has no `enforce`: first among the transforms wherever cairn() is listed (unplugin passes the hook object on).
      ...({ order: "pre" } as object),
      // The code check stays in the handler (a few microseconds per module), so
      // that a module which stops importing cairn drops its workflows in watch mode.
      filter: { id: { include: ctx.filter.include, exclude: ctx.filter.exclude } },
      handler(code, id) {
        return transformHook(this, ctx, code, id);
      },
    },
    buildEnd() {
      ctx.compiler.flush();
    },
    rollup: { ...rollupHooks(ctx), ...rollupLoadHooks(ctx) },
    vite: {
      ...rollupHooks(ctx),
      ...rollupLoadHooks(ctx),
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

async function transformHook(hook: UnpluginBuildContext & UnpluginContext, ctx: PluginContext, code: string, id: string) {
  const file = cleanId(id);
  // Repeated here: not every bundler version applies hook filters natively.
  if (!ctx.filter.test(file)) return null;
  // Compiled from the file as written when cairn loaded it (rollup-load.ts).
  const loaded = ctx.loaded.get(file);
  if (loaded) {
    ctx.loaded.delete(file);
    reportOutcome(hook, ctx, loaded);
    return null;
  }
  if (!mayUseCairn(code)) {
    ctx.compiler.forget(file);
    return null;
  }
  if (changedBefore(code, file)) return failModule(hook, CHANGED_BEFORE);
  const native = hook.getNativeBuildContext?.();
  const loader = native?.framework === "webpack" ? native.loaderContext : undefined;
  // Rollup and Vite hand unplugin their own context, with `resolve`.
  const resolve = loader ? webpackResolve(loader) : rollupResolve(hook as unknown as Pick<RollupContext, "resolve">);
  const outcome = await transformWithBundler(ctx.compiler, code, file, resolve);
  if (!reportOutcome(hook, ctx, outcome) || !outcome.output) return null;
  const wantsMap = ctx.mapsWanted && (native?.framework !== "webpack" || native.loaderContext?.sourceMap !== false);
  return wantsMap ? { code: outcome.output.code, map: outcome.output.map() } : { code: outcome.output.code };
}

/**
 * A TypeScript module whose text is not the file's reached cairn through another
 * plugin's load or transform (one that emits JavaScript, as @rollup/plugin-typescript
 * does in `load`): compiling it would build that plugin's output, with other
 * workflows, hashes and positions, so the build fails instead. A module that is
 * no file on disk (a virtual one) is compiled as given.
 */
function changedBefore(code: string, file: string): boolean {
  if (!TYPESCRIPT_FILE.test(file)) return false;
  const disk = readText(file);
  return disk !== null && withoutBom(disk) !== withoutBom(code);
}

// Every bundler names the module before a plugin's error.
const CHANGED_BEFORE =
  "another plugin changed this module before cairn (its text is not the file's), so cairn would compile that plugin's output instead of your source; put cairn() before plugins that transform TypeScript";

const withoutBom = (text: string): string => (text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);

function fileMayUseCairn(compiler: WebpackCompiler, file: string): boolean {
  try {
    const fs = compiler.inputFileSystem as { readFileSync?: (path: string) => Buffer | string } | null;
    const text = fs?.readFileSync ? fs.readFileSync(file) : readFileSync(file);
    return mayUseCairn(text);
  } catch {
    return false;
  }
}
