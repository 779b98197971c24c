import type { UnpluginBuildContext, UnpluginContext } from "unplugin";
import { diagnosticsText, rollupError, stacklessError } from "../pipeline/messages.ts";
import type { ModuleOutcome } from "../pipeline/module-compiler.ts";
import type { PluginContext } from "../pipeline/plugin-context.ts";

/** The parts of a Rollup, Vite or webpack (unplugin) hook context that report a module's outcome. */
export type ReportingHook = Pick<UnpluginBuildContext & UnpluginContext, "addWatchFile" | "warn" | "error"> &
  Partial<Pick<UnpluginBuildContext, "getNativeBuildContext">>;

/**
 * Registers the files a module's compile read and reports its diagnostics in the
 * bundler's shape; false when the module has errors (the hook then stops: Rollup
 * and Vite throw from `error`, webpack records it).
 */
export function reportOutcome(hook: ReportingHook, ctx: PluginContext, outcome: ModuleOutcome): boolean {
  const code = outcome.source;
  for (const dep of outcome.deps) hook.addWatchFile(dep);
  const loader = webpackLoader(hook);
  if (outcome.warnings.length > 0) {
    if (loader) loader.emitWarning(stacklessError(diagnosticsText(outcome.warnings, code, ctx.cwd)));
    else hook.warn(rollupError(outcome.warnings, code, ctx.cwd));
  }
  if (outcome.errors.length === 0) return true;
  if (loader) loader.emitError(stacklessError(diagnosticsText(outcome.errors, code, ctx.cwd)));
  // Rollup and Vite throw here; `frame` and `loc` feed their printers and Vite's overlay. An Error, not
  // fields: Rollup would put the file and position before the message, which its CLI and Vite print again.
  else hook.error(Object.assign(stacklessError(""), rollupError(outcome.errors, code, ctx.cwd)));
  return false;
}

/** A plugin error that is no diagnostic (one text, no position), shown once and without cairn's stack. */
export function failModule(hook: ReportingHook, text: string): void {
  const loader = webpackLoader(hook);
  if (loader) loader.emitError(stacklessError(text));
  else hook.error({ message: text, stack: "" });
}

/** webpack: messages go straight to the loader, with no stack; unplugin's `error` and `warn` would add one, and the text again. */
function webpackLoader(hook: ReportingHook) {
  const native = hook.getNativeBuildContext?.();
  return native?.framework === "webpack" ? native.loaderContext : undefined;
}
