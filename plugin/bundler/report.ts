import type { UnpluginBuildContext, UnpluginContext } from "unplugin";
import { diagnosticsText, rollupError } from "../pipeline/messages.ts";
import type { ModuleOutcome } from "../pipeline/module-compiler.ts";
import type { PluginContext } from "../pipeline/plugin-context.ts";

/** The parts of a Rollup, Vite or webpack (unplugin) hook context that report a module's outcome. */
export type ReportingHook = Pick<UnpluginBuildContext & UnpluginContext, "addWatchFile" | "warn" | "error">;

/**
 * Registers the files a module's compile read and reports its diagnostics in the
 * bundler's shape; false when the module has errors (the hook then stops: Rollup
 * and Vite throw from `error`, webpack records it).
 */
export function reportOutcome(hook: ReportingHook, ctx: PluginContext, framework: string, outcome: ModuleOutcome): boolean {
  const code = outcome.source;
  for (const dep of outcome.deps) hook.addWatchFile(dep);
  if (outcome.warnings.length > 0) {
    const text = diagnosticsText(outcome.warnings, code, ctx.cwd);
    hook.warn(framework === "webpack" ? text : { ...rollupError(outcome.warnings, code, ctx.cwd), message: text });
  }
  if (outcome.errors.length === 0) return true;
  // Rollup and Vite throw here; `frame` and `loc` feed their printers and Vite's overlay.
  hook.error(framework === "webpack" ? diagnosticsText(outcome.errors, code, ctx.cwd) : rollupError(outcome.errors, code, ctx.cwd));
  return false;
}
