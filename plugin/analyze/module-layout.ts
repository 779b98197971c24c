import type * as t from "@babel/types";
import { unwrapTs } from "./classify.ts";
import type { ModuleGraph } from "./module-graph.ts";
import type { WorkflowDef } from "./workflows.ts";
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
 * Where the transform acts, from compile()'s own analysis (module summaries, the
 * module graph, workflow discovery, and the lowering's resolution of
 * `instanceof`), so a transform never disagrees with the compiler about what is a
 * workflow, an action or an error class. `defs` is findWorkflows' result for
 * `ast`, and `instanceofRefs` the expressions the lowering of those workflows
 * matched error classes by (source text -> class name).
 */
export function layoutOf(
  file: string,
  ast: t.File,
  summary: ModuleSummary,
  graph: ModuleGraph,
  defs: readonly WorkflowDef[],
  instanceofRefs: ReadonlyMap<string, string>,
): ModuleLayout {
  const layout: ModuleLayout = { workflows: [], actions: [], errorClasses: [], errorRefs: [] };
  const body = ast.program.body;
  const refs = new Map<string, string>();

  for (const def of defs) {
    const top = body.find((s) => s.start! <= def.fn.start! && def.fn.end! <= s.end!);
    const site = top && workflowSite(def.name, def.form, def.fn, top);
    if (site) layout.workflows.push(site);
  }
  // A class declared here is pinned in its own body.
  for (const [expression, className] of instanceofRefs) if (!summary.decls.has(expression)) refs.set(expression, className);

  for (const [local, decl] of summary.decls) {
    const action = graph.declaredAction(file, local);
    if (action) {
      if (action.name !== null && action.nameInsertAt !== null) layout.actions.push({ name: action.name, insertAt: action.nameInsertAt });
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
