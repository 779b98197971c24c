import { relative, resolve, sep } from "node:path";
import type { Artifact, ScheduleEntry } from "../ir-schema/index.ts";
import type { ActionLocation, ChildLocation, CompileOptions, CompileResult, ModuleResolver } from "./types.ts";
import { createModuleCache } from "./analyze/module-cache.ts";
import { ModuleGraph } from "./analyze/module-graph.ts";
import { findWorkflows, type WorkflowDef } from "./analyze/workflows.ts";
import { findSchedules } from "./analyze/schedules.ts";
import { layoutOf, type ModuleLayout } from "./analyze/module-layout.ts";
import { exportNameOf } from "./analyze/module-summary.ts";
import { Reporter } from "./diagnostics/reporter.ts";
import { checkWorkflow } from "./check/checker.ts";
import { lowerWorkflow } from "./lower/workflow.ts";
import { describeAction, sameAction } from "./check/actions.ts";

/**
 * Compiles the workflows of one file to IR artifacts. Pure: every read goes
 * through `resolver`, and the same inputs give byte-identical artifacts. Never
 * throws for bad input; every problem of the file is a diagnostic.
 */
export function compile(source: string, file: string, resolver: ModuleResolver, options: CompileOptions = {}): CompileResult {
  return compileModule(source, file, resolver, options, false).result;
}

/**
 * compile(), plus the module's layout (moduleLayout) when it compiled without
 * errors, made from the same parse, module graph and workflow discovery rather
 * than a second pass over the module: what the bundler transform needs.
 */
export function compileWithLayout(
  source: string,
  file: string,
  resolver: ModuleResolver,
  options: CompileOptions = {},
): { result: CompileResult; layout: ModuleLayout | null } {
  return compileModule(source, file, resolver, options, true);
}

/** compileWithLayout's layout alone (empty when the module has errors). */
export function moduleLayout(source: string, file: string, resolver: ModuleResolver, options: CompileOptions = {}): ModuleLayout {
  return compileWithLayout(source, file, resolver, options).layout ?? { workflows: [], actions: [], errorClasses: [], errorRefs: [] };
}

function compileModule(
  source: string,
  file: string,
  resolver: ModuleResolver,
  options: CompileOptions,
  withLayout: boolean,
): { result: CompileResult; layout: ModuleLayout | null } {
  if (options.validate !== undefined && typeof options.validate !== "function") {
    // A caller's mistake, not a problem of the file: said at once, not as a diagnostic.
    throw new TypeError("compile(): `validate` takes the validator (`validateArtifact` from cairnjs/ir), not a flag");
  }
  const root = resolve(options.root ?? resolver.root);
  const cache = options.cache ?? createModuleCache();
  const absFile = resolve(file);
  const relFile = relative(root, absFile).split(sep).join("/");
  const reporter = new Reporter();
  const workflows: Artifact[] = [];
  const serialized: string[] = [];
  const actions = new Map<string, ActionLocation>();
  const declared: ActionLocation[] = [];
  const errorRefs = new Map<string, string>();
  const found: string[] = [];
  const children = new Map<string, ChildLocation>();
  let schedules: ScheduleEntry[] = [];

  const { parsed, summary } = cache.get(absFile, source);
  for (const e of parsed.syntaxErrors) {
    reporter.report("syntax", absFile, { loc: { start: e, end: e } }, { detail: e.message });
  }
  if (!parsed.ast || parsed.syntaxErrors.length > 0) {
    return { result: { workflows, serialized, diagnostics: reporter.diagnostics(), actions: [], declared: [], found }, layout: null };
  }
  // Kept for the layout, which is made from the same analysis.
  let analysis: { graph: ModuleGraph; defs: WorkflowDef[] } | null = null;

  try {
    const graph = new ModuleGraph(resolver, cache, absFile, source);
    const declaredActions = new Map<string, string>();
    for (const local of summary.decls.keys()) {
      const action = graph.declaredAction(absFile, local);
      if (!action) continue;
      if (action.name === null) {
        reporter.report("anonymousAction", absFile, action.span);
        continue;
      }
      const first = declaredActions.get(action.name);
      if (first === undefined) {
        declaredActions.set(action.name, local);
        const exportName = exportNameOf(summary, local);
        if (exportName !== null) declared.push({ name: action.name, file: absFile, exportName });
      } else reporter.report("actionNameClash", absFile, action.span, { name: action.name, first: `\`${first}\``, second: `\`${local}\`` });
    }
    const seen = new Set<string>();
    const defs = findWorkflows(parsed.ast, absFile, graph, reporter);
    analysis = { graph, defs };
    for (const def of defs) {
      if (seen.has(def.name)) {
        reporter.report("workflowTwiceInFile", absFile, def.fn, { name: def.name });
        continue;
      }
      seen.add(def.name);
      found.push(def.name);
      try {
        const checked = checkWorkflow(def, { file: absFile, source, graph, reporter, form: def.form });
        if (!checked.ok) continue;
        const lowered = lowerWorkflow(def, { file: absFile, relFile, source, graph, form: def.form, table: checked.table, validate: options.validate });
        for (const [expression, className] of lowered.errorRefs) errorRefs.set(expression, className);
        if (lowered.invalid) reporter.report("internal", absFile, def.fn, { what: `workflow \`${def.name}\``, detail: lowered.invalid });
        if (lowered.artifact) {
          workflows.push(lowered.artifact);
          serialized.push(lowered.json!);
          for (const a of lowered.actions) {
            const known = actions.get(a.name);
            if (known && !sameAction(known, a)) {
              // Two workflows of the file, each consistent on its own: the file's workers would serve one action for both.
              reporter.report("actionNameClash", absFile, def.fn, { name: a.name, first: describeAction(absFile, known), second: describeAction(absFile, a) });
            } else actions.set(a.name, a);
          }
          for (const c of lowered.children) if (!children.has(c.name)) children.set(c.name, c);
        }
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        reporter.report("internal", absFile, def.fn, { what: `workflow \`${def.name}\``, detail });
      }
    }
    schedules = findSchedules({ ast: parsed.ast, file: absFile, relFile, source, summary, graph, reporter });
  } catch (error) {
    // Discovery itself failed: still a diagnostic, never an exception for the caller.
    const detail = error instanceof Error ? error.message : String(error);
    reporter.report("internal", absFile, null, { what: relFile, detail });
  }
  const diagnostics = reporter.diagnostics();
  const layout =
    withLayout && analysis && !diagnostics.some((d) => d.severity === "error")
      ? layoutOf(absFile, parsed.ast, summary, analysis.graph, analysis.defs, errorRefs)
      : null;
  const childList = [...children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return {
    result: { workflows, serialized, diagnostics, actions: [...actions.values()], declared, found, schedules, ...(childList.length > 0 ? { children: childList } : {}) },
    layout,
  };
}
