import { relative, resolve, sep } from "node:path";
import type { Artifact } from "../ir-schema/index.ts";
import type { ActionLocation, CompileOptions, CompileResult, ModuleResolver } from "./types.ts";
import { createModuleCache } from "./resolve/module-cache.ts";
import { ModuleGraph } from "./analyze/module-graph.ts";
import { findWorkflows } from "./analyze/workflows.ts";
import { Reporter } from "./diagnostics/reporter.ts";
import { lowerWorkflow } from "./lower/workflow.ts";

/**
 * Compiles the workflows of one file to IR artifacts. Pure: every read goes
 * through `resolver`, and the same inputs give byte-identical artifacts. Never
 * throws for bad input; every problem of the file is a diagnostic.
 */
export function compile(source: string, file: string, resolver: ModuleResolver, options: CompileOptions = {}): CompileResult {
  const root = resolve(options.root ?? resolver.root);
  const cache = options.cache ?? createModuleCache();
  const absFile = resolve(file);
  const relFile = relative(root, absFile).split(sep).join("/");
  const reporter = new Reporter();
  const workflows: Artifact[] = [];
  const serialized: string[] = [];
  const actions = new Map<string, ActionLocation>();

  const { parsed, summary } = cache.get(absFile, source);
  for (const e of parsed.syntaxErrors) {
    reporter.report("syntax", absFile, { loc: { start: e, end: e } }, { detail: e.message });
  }
  if (!parsed.ast || parsed.syntaxErrors.length > 0) return { workflows, serialized, diagnostics: reporter.diagnostics(), actions: [] };

  try {
    for (const decl of summary.decls.values()) {
      if (decl.kind === "action" && decl.name === null) {
        reporter.report("anonymousAction", absFile, decl.node, { what: "pass a name or use a named function expression" });
      }
    }
    const graph = new ModuleGraph(resolver, cache, absFile, source);
    const seen = new Set<string>();
    for (const def of findWorkflows(parsed.ast, absFile, graph, reporter)) {
      if (seen.has(def.name)) {
        reporter.report("workflowDefinition", absFile, def.fn, {
          what: `a second workflow named \`${def.name}\` in this file`,
          hint: "give each workflow its own name",
        });
        continue;
      }
      seen.add(def.name);
      try {
        const lowered = lowerWorkflow(def, { file: absFile, relFile, source, graph, reporter, form: def.form, validate: options.validate });
        if (lowered.artifact) {
          workflows.push(lowered.artifact);
          serialized.push(lowered.json!);
          for (const a of lowered.actions) actions.set(a.name, a);
        }
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        reporter.report("internal", absFile, def.fn, { what: `workflow \`${def.name}\``, detail });
      }
    }
  } catch (error) {
    // Discovery itself failed: still a diagnostic, never an exception for the caller.
    const detail = error instanceof Error ? error.message : String(error);
    reporter.report("internal", absFile, null, { what: relFile, detail });
  }
  return { workflows, serialized, diagnostics: reporter.diagnostics(), actions: [...actions.values()] };
}
