import type * as t from "@babel/types";
import type { Reporter } from "../diagnostics/reporter.ts";
import { cairnCallee, unwrapTs, wrappedFunction } from "./classify.ts";
import type { ModuleGraph } from "./module-graph.ts";
import { Authoring, WORKFLOW_RUN_METHOD } from "../../ir-schema/vocabulary.ts";

export interface WorkflowDef {
  name: string;
  form: "class" | "function";
  /** The body to compile: the class's `run` method or the wrapped function. */
  fn: t.Function;
}

/** Finds `@workflow` classes and `workflow(...)` functions at the top level of the compiled file. */
export function findWorkflows(ast: t.File, file: string, graph: ModuleGraph, reporter: Reporter): WorkflowDef[] {
  const cairnName = (local: string): string | null => {
    const r = graph.resolveLocal(file, local);
    if (r?.kind !== "cairn") return null;
    return r.name;
  };
  const out: WorkflowDef[] = [];
  const fromCall = (call: t.CallExpression, fallbackName: string | null): void => {
    const { name, fn } = wrappedFunction(call);
    if (!fn) {
      reporter.report("workflowNotFunction", file, call);
      return;
    }
    const finalName = name ?? fallbackName;
    if (!finalName) {
      reporter.report("anonymousWorkflow", file, call);
      return;
    }
    out.push({ name: finalName, form: "function", fn });
  };

  for (const top of ast.program.body) {
    const stmt = top.type === "ExportNamedDeclaration" || top.type === "ExportDefaultDeclaration" ? top.declaration : top;
    if (!stmt) continue;
    if (stmt.type === "ClassDeclaration" || stmt.type === "ClassExpression") {
      const decorators = [...(top.type !== stmt.type ? ((top as { decorators?: t.Decorator[] }).decorators ?? []) : []), ...(stmt.decorators ?? [])];
      const def = fromClass(stmt, decorators, file, cairnName, reporter);
      if (def) out.push(def);
    } else if (stmt.type === "VariableDeclaration") {
      for (const d of stmt.declarations) {
        const init = d.init && unwrapTs(d.init);
        if (init?.type === "CallExpression" && cairnCallee(init.callee, cairnName) === Authoring.workflow) {
          fromCall(init, d.id.type === "Identifier" ? d.id.name : null);
        }
      }
    } else if (top.type === "ExportDefaultDeclaration") {
      const init = unwrapTs(stmt as t.Expression);
      if (init.type === "CallExpression" && cairnCallee(init.callee, cairnName) === Authoring.workflow) fromCall(init, null);
    }
  }
  return out;
}

function fromClass(
  cls: t.ClassDeclaration | t.ClassExpression,
  decorators: t.Decorator[],
  file: string,
  cairnName: (local: string) => string | null,
  reporter: Reporter,
): WorkflowDef | null {
  let explicit: string | null = null;
  let found = false;
  for (const dec of decorators) {
    const e = dec.expression;
    if (cairnCallee(e, cairnName) === Authoring.workflow) found = true;
    else if (e.type === "CallExpression" && cairnCallee(e.callee, cairnName) === Authoring.workflow) {
      found = true;
      const arg = e.arguments[0];
      if (arg?.type === "StringLiteral") explicit = arg.value;
    }
  }
  if (!found) return null;
  const name = explicit ?? cls.id?.name ?? null;
  if (!name) {
    reporter.report("anonymousWorkflowClass", file, cls);
    return null;
  }
  if (!cls.superClass || cairnCallee(cls.superClass, cairnName) !== Authoring.Workflow) {
    reporter.report("workflowClassNotExtending", file, cls.id ?? cls, { name });
    return null;
  }
  const run = cls.body.body.find(
    (m): m is t.ClassMethod =>
      m.type === "ClassMethod" && !m.static && m.kind === "method" && !m.computed &&
      m.key.type === "Identifier" && m.key.name === WORKFLOW_RUN_METHOD,
  );
  if (!run) {
    reporter.report("workflowClassWithoutRun", file, cls.id ?? cls, { name: cls.id?.name ?? name });
    return null;
  }
  return { name, form: "class", fn: run };
}
