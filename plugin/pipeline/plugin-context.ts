import { resolve } from "node:path";
import { createIdFilter, resolveOutDir, type CairnPluginOptions, type IdFilter } from "./options.ts";
import { ModuleCompiler, type ModuleOutcome } from "./module-compiler.ts";

/** PLUGIN_NAME is what each bundler prints next to cairn's messages. */
export const PLUGIN_NAME = "cairn";

/** The state of one plugin instance, shared by the neutral hooks and each bundler's own ones. */
export interface PluginContext {
  /** Diagnostics show paths relative to it, as the CLI does. */
  cwd: string;
  filter: IdFilter;
  compiler: ModuleCompiler;
  /** The explicit `outDir` option, absolute; null means "cairn/ in the bundler's output directory". */
  outDir: string | null;
  /** False when the build is known to make no source maps (a Vite build without `build.sourcemap`): transforms then return none. */
  mapsWanted: boolean;
  /** Modules cairn loaded and compiled itself this build (rollup-load.ts), which its transform then leaves alone or fails. */
  loaded: Map<string, ModuleOutcome>;
}

export function createPluginContext(options: CairnPluginOptions = {}): PluginContext {
  const cwd = process.cwd();
  return {
    cwd,
    filter: createIdFilter(options, cwd),
    compiler: new ModuleCompiler({
      root: options.root === undefined ? undefined : resolve(cwd, options.root),
      cacheDir: typeof options.cacheDir === "string" ? resolve(cwd, options.cacheDir) : options.cacheDir,
      onCompile: options.onCompile,
    }),
    outDir: resolveOutDir(options.outDir, cwd),
    mapsWanted: true,
    loaded: new Map(),
  };
}
