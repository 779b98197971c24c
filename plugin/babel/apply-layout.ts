import type * as t from "@babel/types";
import type { ModuleLayout, WorkflowSite } from "../analyze/module-layout.ts";
import { handleExpression, moduleTail, pin } from "../pipeline/rewrite-module.ts";
import type { BuiltWorkflow } from "../pipeline/built-workflow.ts";
import { childKeys, isNode } from "../parse/children.ts";

/** The slice of Babel's plugin API this plugin uses (`@babel/core` ships no types). */
export interface BabelApi {
  types: typeof t;
  template: {
    expression: { ast(code: string): t.Expression };
    statement: { ast(code: string): t.Statement };
    statements: { ast(code: string): t.Statement[] };
  };
}

/** The slice of a Babel NodePath used here. */
export interface ProgramPath {
  node: t.Program;
}

/**
 * The same edits as the bundlers' text rewrite (rewrite-module.ts), made on
 * Babel's AST so that Babel's own source maps and later plugins stay in charge.
 * Nodes are found by the offsets the compiler's analysis reported, which index
 * the same text Babel parsed.
 */
export function applyLayout(api: BabelApi, program: t.Program, layout: ModuleLayout, built: readonly BuiltWorkflow[]): void {
  const { types: b, template } = api;
  const byName = new Map(built.map((w) => [w.manifest.name, w.canonical]));
  const workflows = layout.workflows.filter((w) => byName.has(w.name));
  const actions = new Map(layout.actions.map((a) => [a.insertAt, a.name]));
  const errorBodies = new Map(layout.errorClasses.map((c) => [c.bodyStart, c.className]));

  const placed = new Set<WorkflowSite>();
  walk(program, (node, replace) => {
    const site = workflows.find((w) => !placed.has(w) && matches(w, node));
    if (site) {
      placed.add(site);
      replace(replacement(api, site, byName.get(site.name)!));
      return false;
    }
    if (node.type === "CallExpression" && node.arguments[0]?.start != null && actions.has(node.arguments[0].start)) {
      node.arguments.unshift(b.stringLiteral(actions.get(node.arguments[0].start)!));
    } else if (node.type === "ClassBody" && node.start != null && errorBodies.has(node.start + 1)) {
      node.body.unshift(b.staticBlock([template.statement.ast(pin("this", errorBodies.get(node.start + 1)!))]));
    }
    return true;
  });
  const missed = workflows.filter((w) => !placed.has(w));
  // Never let a workflow body through silently: that is what the plugin exists to prevent.
  if (missed.length > 0) throw new Error(`cairnjs/babel: could not find the definition of workflow ${missed.map((w) => w.name).join(", ")} in Babel's AST`);
  for (const code of moduleTail(layout, workflows.length > 0)) program.body.push(...template.statements.ast(code));
}

/**
 * A `workflow(...)` call is found by its exact range. A class statement by
 * overlap: with another decorators syntax Babel may start the statement at
 * `export` rather than at the decorator; top-level statements never overlap.
 */
function matches(site: WorkflowSite, node: t.Node): boolean {
  if (node.start == null || node.end == null) return false;
  if (site.form === "expression") return node.type === "CallExpression" && node.start === site.start && node.end === site.end;
  return (
    (node.type === "ExportNamedDeclaration" || node.type === "ExportDefaultDeclaration" || node.type === "ClassDeclaration") &&
    node.start < site.end && site.start < node.end
  );
}

function replacement(api: BabelApi, site: WorkflowSite, json: string): t.Node[] {
  const handle = handleExpression(json);
  if (site.form === "expression") return [api.template.expression.ast(handle)];
  if (site.exported === "default") {
    return api.template.statements.ast(site.binding ? `const ${site.binding} = ${handle}; export default ${site.binding};` : `export default ${handle};`);
  }
  return [api.template.statement.ast(`${site.exported === "named" ? "export " : ""}const ${site.binding} = ${handle};`)];
}

/**
 * Depth-first over the program; `visit` returns false to skip a node's children
 * and may replace the node in its parent (an expression by one node, a statement
 * by several).
 */
function walk(node: t.Node, visit: (node: t.Node, replace: (nodes: t.Node[]) => void) => boolean): void {
  for (const key of childKeys(node)) {
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const child = value[i];
        if (!isNode(child)) continue;
        let replaced: t.Node[] | null = null;
        const descend = visit(child, (nodes) => (replaced = nodes));
        if (replaced) {
          value.splice(i, 1, ...(replaced as t.Node[]));
          i += (replaced as t.Node[]).length - 1;
        } else if (descend) walk(child, visit);
      }
    } else if (isNode(value)) {
      let replaced: t.Node[] | null = null;
      const descend = visit(value, (nodes) => (replaced = nodes));
      if (replaced) (node as unknown as Record<string, unknown>)[key] = (replaced as t.Node[])[0];
      else if (descend) walk(value, visit);
    }
  }
}

