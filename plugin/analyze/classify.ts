import type * as t from "@babel/types";
import type { ActionShape, Decl } from "./declarations.ts";
import { constTree } from "./const-fold.ts";
import { Authoring } from "../../ir-schema/vocabulary.ts";

/** Strips TS-only wrappers (`as const`, `satisfies`, `!`) that do not change a value. */
export function unwrapTs(e: t.Expression): t.Expression {
  let cur: t.Expression = e;
  while (
    cur.type === "TSAsExpression" || cur.type === "TSSatisfiesExpression" ||
    cur.type === "TSNonNullExpression" || cur.type === "TSTypeAssertion" || cur.type === "ParenthesizedExpression"
  ) {
    cur = cur.expression;
  }
  return cur;
}

/** A module-level `const` primitive: string/number/boolean/null, negative numbers, plain templates. */
export function primitiveValue(e: t.Expression): { value: string | number | boolean | null } | null {
  const v = unwrapTs(e);
  switch (v.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
      return { value: v.value };
    case "NullLiteral":
      return { value: null };
    case "TemplateLiteral":
      return v.expressions.length === 0 && v.quasis[0].value.cooked != null ? { value: v.quasis[0].value.cooked } : null;
    case "UnaryExpression":
      if ((v.operator === "-" || v.operator === "+") && unwrapTs(v.argument).type === "NumericLiteral") {
        const n = (unwrapTs(v.argument) as t.NumericLiteral).value;
        return { value: v.operator === "-" ? -n : n };
      }
      return null;
    default:
      return null;
  }
}

/** `Promise<void>` or `void`: the action's result may not be used. */
export function isVoidReturn(fn: t.Function): boolean {
  const ann = fn.returnType;
  if (!ann || ann.type !== "TSTypeAnnotation") return false;
  const ty = ann.typeAnnotation;
  if (ty.type === "TSVoidKeyword") return true;
  return (
    ty.type === "TSTypeReference" &&
    ty.typeName.type === "Identifier" &&
    ty.typeName.name === "Promise" &&
    ty.typeParameters?.params.length === 1 &&
    ty.typeParameters.params[0].type === "TSVoidKeyword"
  );
}

/** The cairn primitive a callee names (`action`, `cairn.action`), or null. */
export function cairnCallee(callee: t.Node, cairnName: (local: string) => string | null): string | null {
  if (callee.type === "Identifier") return cairnName(callee.name);
  if (
    callee.type === "MemberExpression" && !callee.computed &&
    callee.object.type === "Identifier" && callee.property.type === "Identifier" &&
    cairnName(callee.object.name) === "*"
  ) {
    return callee.property.name;
  }
  return null;
}

/** The function an `action(...)` / `workflow(...)` call wraps and its explicit name, if any. */
export function wrappedFunction(call: t.CallExpression): { name: string | null; fn: t.Function | null } {
  const args = call.arguments;
  const first = args[0];
  const named = first?.type === "StringLiteral";
  const fnNode = named ? args[1] : first;
  const fn = fnNode && (fnNode.type === "FunctionExpression" || fnNode.type === "ArrowFunctionExpression") ? fnNode : null;
  const own = fn?.type === "FunctionExpression" && fn.id ? fn.id.name : null;
  return { name: named ? first.value : own, fn };
}

/** How a module's imports look to the classifier: cairn's name for a local, and whether a local is imported at all. */
export interface ImportLookup {
  cairnName(local: string): string | null;
  isImported(local: string): boolean;
}

/** The name a `@workflow` / `@workflow("name")` decorator among `decorators` gives a class, or null when there is none. */
export function decoratedWorkflowName(className: string | null, decorators: readonly t.Decorator[], imports: ImportLookup): string | null {
  for (const dec of decorators) {
    const e = dec.expression;
    if (cairnCallee(e, imports.cairnName) === Authoring.workflow) return className;
    if (e.type === "CallExpression" && cairnCallee(e.callee, imports.cairnName) === Authoring.workflow) {
      const arg = e.arguments[0];
      return arg?.type === "StringLiteral" ? arg.value : className;
    }
  }
  return null;
}

/** Classifies the initialiser of a module-level variable. */
export function classifyVariable(kind: t.VariableDeclaration["kind"], init: t.Expression, imports: ImportLookup): Decl | null {
  const e = unwrapTs(init);
  const what = kind === "const" ? "a module-level constant that is not a primitive" : `a module-level \`${kind}\` variable`;
  if (e.type === "CallExpression") {
    const primitive = cairnCallee(e.callee, imports.cairnName);
    if (primitive === Authoring.action) return { kind: "action", ...actionShape(e) };
    if (primitive === Authoring.workflow) {
      // Named as findWorkflows names it: the explicit name, else the function's, else the binding's (declarationsOf).
      return { kind: "other", what: "a workflow", workflow: wrappedFunction(e).name || null };
    }
    const callee = importedCallee(e.callee, imports);
    if (callee) return { kind: "call", callee, action: actionShape(e), what };
  }
  if (kind === "const") {
    const p = primitiveValue(e);
    if (p) return { kind: "const", value: p.value };
    const tree = constTree(e);
    if ("why" in tree) return { kind: "other", what: `a module-level constant whose value is not a primitive constant (${tree.why})` };
    return { kind: "constExpr", tree };
  }
  return { kind: "other", what };
}

function actionShape(call: t.CallExpression): ActionShape {
  const { name, fn } = wrappedFunction(call);
  const first = call.arguments[0];
  const nameInsertAt = first && first.type !== "StringLiteral" ? (first.start ?? null) : null;
  // An empty name is no name: the runtime refuses `action("", fn)` like a missing one.
  return { name: name || null, isVoid: fn ? isVoidReturn(fn) : false, span: { loc: call.loc }, nameInsertAt };
}

/** `f` or `ns.f` when `f` / `ns` is imported from somewhere other than cairn: what the graph may find to be cairn's `action`. */
function importedCallee(callee: t.Node, imports: ImportLookup): { local: string; member: string | null } | null {
  if (callee.type === "Identifier" && imports.isImported(callee.name)) return { local: callee.name, member: null };
  if (
    callee.type === "MemberExpression" && !callee.computed &&
    callee.object.type === "Identifier" && callee.property.type === "Identifier" && imports.isImported(callee.object.name)
  ) {
    return { local: callee.object.name, member: callee.property.name };
  }
  return null;
}
