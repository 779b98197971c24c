import { parseModule, type ParsedModule } from "../parse/parse.ts";
import { summarizeModule } from "../analyze/module-summary.ts";
import type { ModuleSummary } from "../analyze/declarations.ts";

export interface CachedModule {
  parsed: ParsedModule;
  summary: ModuleSummary;
}

/**
 * Parsed modules and their summaries, keyed by absolute path and validated by the
 * exact text, so an edited file is re-parsed and an unchanged one never is.
 * Passed in through CompileOptions so that its lifetime is the caller's choice.
 */
export interface ModuleCache {
  get(file: string, source: string): CachedModule;
}

export function createModuleCache(): ModuleCache {
  const entries = new Map<string, { source: string; module: CachedModule }>();
  return {
    get(file, source) {
      const hit = entries.get(file);
      if (hit && hit.source === source) return hit.module;
      const parsed = parseModule(source, { jsx: file.endsWith(".tsx") });
      const module = { parsed, summary: summarizeModule(parsed.ast) };
      entries.set(file, { source, module });
      return module;
    },
  };
}
