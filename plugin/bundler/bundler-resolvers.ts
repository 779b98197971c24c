import { dirname } from "node:path";
import type { PluginBuild } from "esbuild";
import type { PluginContext as RollupContext } from "rollup";
import type { LoaderContext } from "webpack";
import type { BundlerResolve } from "../pipeline/bundler-resolution.ts";

/**
 * Each bundler's own resolver, as the compiler asks it about bare specifiers:
 * with the build's aliases, tsconfig-paths plugins and conditions, so a workflow
 * finds its actions where the bundle does.
 */

/** Rollup and Vite: `this.resolve`, through every other plugin's resolveId (aliases, tsconfig paths). */
export function rollupResolve(context: Pick<RollupContext, "resolve">): BundlerResolve {
  return async (specifier, from) => {
    const hit = await context.resolve(specifier, from, { skipSelf: true });
    return hit && !hit.external ? hit.id : null;
  };
}

/** webpack: the module's own resolve options (`resolve.alias`, `extensionAlias`, resolver plugins), for an ES import. */
export function webpackResolve(loader: Pick<LoaderContext<unknown>, "getResolve">): BundlerResolve {
  const resolve = loader.getResolve({ dependencyType: "esm" }) as (context: string, request: string) => Promise<string>;
  return (specifier, from) => resolve(dirname(from), specifier);
}

/** esbuild: `build.resolve`, with the build's `alias`, tsconfig `paths` and other plugins' onResolve. */
export function esbuildResolve(build: Pick<PluginBuild, "resolve">): BundlerResolve {
  return async (specifier, from) => {
    const hit = await build.resolve(specifier, { kind: "import-statement", importer: from, resolveDir: dirname(from) });
    return hit.errors.length > 0 || hit.external || hit.namespace !== "file" ? null : hit.path;
  };
}
