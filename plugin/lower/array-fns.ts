import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { ArrayFns } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { lit } from "./ir.ts";
import { containsAwait } from "./anf.ts";
import { lowerExpr } from "./expressions.ts";

type ArrayFn = (typeof ArrayFns)[number];
const ARRAY_FNS: ReadonlySet<string> = new Set(ArrayFns);

/** `xs.map(...)`, `xs.filter(...)`, ... with a function argument: the only calls whose argument may be a function. */
export function isArrayFnCall(node: t.Node): node is t.CallExpression {
  const n = unwrapTs(node as t.Expression);
  if (n.type !== "CallExpression") return false;
  const c = n.callee;
  return (
    c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier" && ARRAY_FNS.has(c.property.name) &&
    (n.arguments[0]?.type === "ArrowFunctionExpression" || n.arguments[0]?.type === "FunctionExpression")
  );
}

/**
 * `const ys = xs.map((x, i) => expr)` (the comprehension of the Python original):
 * an `arrayFn` whose body is a pure expression over the parameters. Callers only
 * call this in the positions where the contract allows it.
 */
export function lowerArrayFn(L: Lowerer, input: t.Node): Expr {
  const node = unwrapTs(input as t.Expression) as t.CallExpression;
  const callee = node.callee as t.MemberExpression;
  const fn = (callee.property as t.Identifier).name as ArrayFn;
  const cb = node.arguments[0] as t.ArrowFunctionExpression | t.FunctionExpression;
  const fail = lit(null);
  if (node.arguments.length !== 1) {
    L.report("callbackSecondArgument", node.arguments[1], { method: fn });
    return fail;
  }
  if (cb.generator) {
    L.report("generator", cb, { what: "a generator callback" });
    return fail;
  }
  if (cb.async) {
    L.report("asyncArrayCallback", cb, { method: fn });
    return fail;
  }
  const params = cb.params;
  if (params.length < 1 || params.length > 2 || params.some((p) => p.type !== "Identifier")) {
    L.report("callbackParams", cb, { method: fn });
    return fail;
  }
  let body: t.Node = cb.body;
  if (body.type === "BlockStatement") {
    const only = body.body.length === 1 ? body.body[0] : null;
    if (only?.type !== "ReturnStatement" || !only.argument) {
      L.report("callbackStatements", cb.body, { method: fn });
      return fail;
    }
    body = only.argument;
  }
  if (containsAwait(L, body)) {
    L.report("awaitInArrayCallback", body, { method: fn });
    return fail;
  }
  const source = lowerExpr(L, callee.object);
  L.scopes.push();
  const param = L.scopes.declare((params[0] as t.Identifier).name, "callback").irName;
  const index = params[1] ? L.scopes.declare((params[1] as t.Identifier).name, "callback").irName : null;
  L.pureDepth++;
  let lowered: Expr;
  try {
    lowered = lowerExpr(L, body);
  } finally {
    L.pureDepth--;
    L.scopes.pop();
  }
  return { body: lowered, fn, index, kind: "arrayFn", param, source };
}

/** The value assigned to a variable or pattern: the position where `xs.map(cb)` may stand. */
export function lowerValue(L: Lowerer, node: t.Node): Expr {
  return isArrayFnCall(node) ? lowerArrayFn(L, node) : lowerExpr(L, node);
}
