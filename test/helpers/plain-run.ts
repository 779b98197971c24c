/**
 * Runs a workflow module as ordinary JavaScript: actions are plain async functions,
 * `runAction` returns its call, `sleep` is a timer. This is the reference the
 * compiled program must agree with.
 *
 * The workflow's export and parameter order are read from the source with Babel,
 * not from the compiler's artifact, so a compiler mistake in either cannot make
 * both sides agree by accident.
 */
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
import { parse } from "@babel/parser";
import type * as t from "@babel/types";

export interface WorkflowDecl {
  exportName: string;
  form: "class" | "function";
  params: string[];
}

/** The exported workflow of a source file: the only one, or the one named `wanted` (its export or workflow name). */
export function findWorkflow(source: string, file = "input.ts", wanted?: string): WorkflowDecl {
  const ast = parse(source, { sourceType: "module", sourceFilename: file, plugins: ["typescript", "decorators"] });
  const found: WorkflowDecl[] = [];
  for (const stmt of ast.program.body) {
    if (stmt.type !== "ExportNamedDeclaration" || !stmt.declaration) continue;
    const decl = stmt.declaration;
    const decorators = decl.type === "ClassDeclaration" ? (decl.decorators ?? []) : [];
    if (decl.type === "ClassDeclaration" && decl.id && decorators.some(isWorkflowDecorator)) {
      const run = decl.body.body.find(
        (m): m is t.ClassMethod => m.type === "ClassMethod" && m.key.type === "Identifier" && m.key.name === "run",
      );
      if (!run) throw new Error(`${file}: workflow class ${decl.id.name} has no run method`);
      found.push({ exportName: decl.id.name, form: "class", params: paramNames(run.params, file) });
    }
    if (decl.type === "VariableDeclaration") {
      for (const d of decl.declarations) {
        const init = d.init;
        if (d.id.type !== "Identifier" || init?.type !== "CallExpression" || !isWorkflowCallee(init.callee)) continue;
        const fn = init.arguments.at(-1);
        if (fn?.type !== "FunctionExpression" && fn?.type !== "ArrowFunctionExpression") {
          throw new Error(`${file}: workflow(...) of ${d.id.name} does not wrap a function literal`);
        }
        found.push({ exportName: d.id.name, form: "function", params: paramNames(fn.params, file) });
      }
    }
  }
  if (wanted !== undefined) {
    const named = found.find((d) => d.exportName === wanted);
    if (!named) throw new Error(`${file}: no exported workflow ${wanted}`);
    return named;
  }
  if (found.length !== 1) throw new Error(`${file}: expected exactly one exported workflow, found ${found.length}`);
  return found[0];
}

function isWorkflowCallee(node: t.Node): boolean {
  return node.type === "Identifier" && node.name === "workflow";
}

function isWorkflowDecorator(d: t.Decorator): boolean {
  const e = d.expression;
  return isWorkflowCallee(e) || (e.type === "CallExpression" && isWorkflowCallee(e.callee));
}

function paramNames(params: t.Node[], file: string): string[] {
  return params.map((p) => {
    const target = p.type === "AssignmentPattern" ? p.left : p;
    if (target.type !== "Identifier") throw new Error(`${file}: workflow parameters must be plain identifiers`);
    return target.name;
  });
}

/** Imports `file` and calls its workflow with `input` (keyed by parameter name). */
export async function runPlain(file: string, input: Record<string, unknown>, wanted?: string): Promise<unknown> {
  const decl = findWorkflow(readFileSync(file, "utf8"), file, wanted);
  const mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  const target = mod[decl.exportName];
  if (typeof target !== "function") throw new Error(`${file}: export ${decl.exportName} is not callable`);
  // A fresh copy per run, as a runtime would deserialize it: the body may push
  // onto an input array, and cases.json values are shared between runners.
  const args = decl.params.map((name) => (Object.hasOwn(input, name) ? JSON.parse(JSON.stringify(input[name])) : undefined));
  if (decl.form === "function") return await (target as (...a: unknown[]) => Promise<unknown>)(...args);
  const Cls = target as new () => { run(...a: unknown[]): Promise<unknown> };
  return await new Cls().run(...args);
}
