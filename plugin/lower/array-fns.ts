import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { ArrayFns } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { lit } from "./ir.ts";
import { lowerExpr } from "./expressions.ts";
import { isArrayFnCall } from "../check/forms.ts";

type ArrayFn = (typeof ArrayFns)[number];

export { isArrayFnCall };

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
  // The check phase passed the callback: one or two plain parameters, a pure expression body.
  const params = cb.params;
  let body: t.Node = cb.body;
  if (body.type === "BlockStatement") {
    const only = body.body[0];
    if (only?.type !== "ReturnStatement" || !only.argument) return lit(null);
    body = only.argument;
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
