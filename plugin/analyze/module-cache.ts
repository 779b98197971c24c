import { parseModule, type ParsedModule } from "../parse/parse.ts";
import { summarizeModule } from "./module-summary.ts";
import type { ModuleSummary } from "./declarations.ts";

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
  /**
   * The summary alone, which is all that resolving another module's imports
   * reads; still served after release(). Optional for other implementations:
   * callers fall back to `get(...).summary`.
   */
  summary?(file: string, source: string): ModuleSummary;
  /**
   * The caller is done with this file's syntax tree (its compile and layout are
   * made): drop the tree, keep the summary. A later get() of the file parses it
   * again. A syntax tree is several hundred KB that would otherwise stay alive as
   * long as the cache, and the garbage collector would keep copying it.
   */
  release?(file: string): void;
}

export function createModuleCache(): ModuleCache {
  const entries = new Map<string, { source: string; parsed: ParsedModule | null; summary: ModuleSummary }>();
  const load = (file: string, source: string): CachedModule => {
    const parsed = parseModule(source, { jsx: file.endsWith(".tsx") });
    const module = { parsed, summary: summarizeModule(parsed.ast) };
    entries.set(file, { source, ...module });
    return module;
  };
  return {
    get(file, source) {
      const hit = entries.get(file);
      if (hit && hit.source === source && hit.parsed) return { parsed: hit.parsed, summary: hit.summary };
      return load(file, source);
    },
    summary(file, source) {
      const hit = entries.get(file);
      return hit && hit.source === source ? hit.summary : load(file, source).summary;
    },
    release(file) {
      const hit = entries.get(file);
      if (hit) hit.parsed = null;
    },
  };
}
