import { VISITOR_KEYS } from "@babel/types";
import type * as t from "@babel/types";
import type { ModuleResolver } from "../types.ts";
import { createModuleCache, type ModuleCache } from "../resolve/module-cache.ts";
import { Reporter } from "../diagnostics/reporter.ts";
import { unwrapTs } from "./classify.ts";
import { ModuleGraph, type Resolved } from "./module-graph.ts";
import { findWorkflows, type WorkflowDef } from "./workflows.ts";
import type { ModuleSummary } from "./declarations.ts";

/** A workflow definition and the source range its compiled handle replaces. */
export interface WorkflowSite {
  name: string;
  start: number;
  end: number;
  /**
   * "expression": the range is the `workflow(...)` call, replace it by the handle.
   * "class": the range is the whole class statement (decorators included), replace
   * it by a declaration of `binding`, exported as before.
   */
  form: "expression" | "class";
  binding: string | null;
  exported: "named" | "default" | null;
}

/** `action(fn)` whose name comes from the function: insert `"name", ` at `insertAt`. */
export interface ActionSite {
  name: string;
  insertAt: number;
}

/** An error class declared in this module; `bodyStart` is just after its body's `{`. */
export interface ErrorClassSite {
  className: string;
  bodyStart: number;
}

/** A module-level expression (`NotFound`, `errors.NotFound`) naming an error class declared elsewhere. */
export interface ErrorRef {
  className: string;
  expression: string;
}

/** Where a bundler transform must act in one module; offsets index the source text. */
export interface ModuleLayout {
  workflows: WorkflowSite[];
  actions: ActionSite[];
  errorClasses: ErrorClassSite[];
  errorRefs: ErrorRef[];
}

/**
 * The source ranges behind compile()'s view of a module, found by the same
 * analysis (module summaries, the module graph, workflow discovery), so a
 * transform never disagrees with the compiler about what is a workflow, an action
 * or an error class. Reuses the parse in `cache`: call it after compile() with the
 * same cache and it costs a walk of the top level. (The bundler transform gets the
 * layout from compileWithLayout instead, which also reuses compile()'s discovery.)
 */
export function moduleLayout(source: string, file: string, resolver: ModuleResolver, options: { cache?: ModuleCache } = {}): ModuleLayout {
  const cache = options.cache ?? createModuleCache();
  const { parsed, summary } = cache.get(file, source);
  if (!parsed.ast || parsed.syntaxErrors.length > 0) return { workflows: [], actions: [], errorClasses: [], errorRefs: [] };
  const graph = new ModuleGraph(resolver, cache, file, source);
  return layoutOf(source, file, parsed.ast, summary, graph, findWorkflows(parsed.ast, file, graph, new Reporter()));
}

/** The layout from an analysis already made: `defs` is findWorkflows' result for `ast`. */
export function layoutOf(
  source: string,
  file: string,
  ast: t.File,
  summary: ModuleSummary,
  graph: ModuleGraph,
  defs: readonly WorkflowDef[],
): ModuleLayout {
  const layout: ModuleLayout = { workflows: [], actions: [], errorClasses: [], errorRefs: [] };
  const body = ast.program.body;
  const refs = new Map<string, string>();

  for (const def of defs) {
    const top = body.find((s) => s.start! <= def.fn.start! && def.fn.end! <= s.end!);
    const site = top && workflowSite(def.name, def.form, def.fn, top);
    if (site) layout.workflows.push(site);
    // Only a body whose text says `instanceof` can hold one: most bodies skip the walk.
    const at = source.indexOf("instanceof", def.fn.body.start!);
    if (at < 0 || at >= def.fn.body.end!) continue;
    walk(def.fn.body, (node) => {
      if (node.type !== "BinaryExpression" || node.operator !== "instanceof") return;
      const right = node.right;
      if (right.type === "Identifier" && summary.decls.has(right.name)) return; // declared here: pinned in its body
      const r = resolveRef(graph, file, right);
      if (r?.kind === "errorClass") refs.set(source.slice(right.start!, right.end!), r.className);
    });
  }

  for (const [local, decl] of summary.decls) {
    if (decl.kind === "action") {
      if (decl.name !== null && decl.nameInsertAt !== null) layout.actions.push({ name: decl.name, insertAt: decl.nameInsertAt });
    } else if (decl.kind === "class" && graph.resolveLocal(file, local)?.kind === "errorClass") {
      layout.errorClasses.push({ className: decl.className, bodyStart: decl.bodyStart });
    }
  }

  // Actions throw the error classes they import: pin those too, so a worker that
  // loads only actions (prebuilt IR) still reports the names workflows match on.
  if (layout.actions.length > 0) {
    for (const local of summary.imports.keys()) {
      if (!/^[A-Z]/.test(local)) continue;
      const r = graph.resolveLocal(file, local);
      if (r?.kind === "errorClass") refs.set(local, r.className);
    }
  }
  layout.errorRefs = [...refs].map(([expression, className]) => ({ expression, className }));
  return layout;
}

function workflowSite(name: string, form: "class" | "function", fn: t.Function, top: t.Statement): WorkflowSite | null {
  const decl = top.type === "ExportNamedDeclaration" || top.type === "ExportDefaultDeclaration" ? top.declaration : top;
  if (!decl) return null;
  if (form === "class") {
    if (decl.type !== "ClassDeclaration" && decl.type !== "ClassExpression") return null;
    const exported = top.type === "ExportNamedDeclaration" ? "named" : top.type === "ExportDefaultDeclaration" ? "default" : null;
    return { name, start: top.start!, end: top.end!, form: "class", binding: decl.id?.name ?? null, exported };
  }
  const inits =
    decl.type === "VariableDeclaration" ? decl.declarations.map((d) => d.init) :
    top.type === "ExportDefaultDeclaration" ? [decl as t.Expression] : [];
  for (const init of inits) {
    const call = init && unwrapTs(init);
    if (call?.type === "CallExpression" && call.start! <= fn.start! && fn.end! <= call.end!) {
      return { name, start: call.start!, end: call.end!, form: "expression", binding: null, exported: null };
    }
  }
  return null;
}

function resolveRef(graph: ModuleGraph, file: string, e: t.Node): Resolved | null {
  if (e.type === "Identifier") return graph.resolveLocal(file, e.name);
  if (e.type === "MemberExpression" && !e.computed && e.object.type === "Identifier" && e.property.type === "Identifier") {
    const ns = graph.resolveLocal(file, e.object.name);
    return ns && graph.member(ns, e.property.name);
  }
  return null;
}

function walk(node: t.Node, visit: (node: t.Node) => void): void {
  visit(node);
  for (const key of VISITOR_KEYS[node.type] ?? []) {
    const child = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(child)) {
      for (const c of child) if (c && typeof c === "object" && "type" in c) walk(c as t.Node, visit);
    } else if (child && typeof child === "object" && "type" in child) {
      walk(child as t.Node, visit);
    }
  }
}
