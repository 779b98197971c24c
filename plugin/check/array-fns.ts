import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Checker } from "./checker.ts";
import { isArrayFnCall } from "./forms.ts";
import { checkExpr } from "./expressions.ts";

/** `const ys = xs.map((x, i) => expr)`: one callback of one or two plain parameters, a pure expression body. */
export function checkArrayFn(C: Checker, input: t.Node): void {
  const node = unwrapTs(input as t.Expression) as t.CallExpression;
  const callee = node.callee as t.MemberExpression;
  const fn = (callee.property as t.Identifier).name;
  const cb = node.arguments[0] as t.ArrowFunctionExpression | t.FunctionExpression;
  if (node.arguments.length !== 1) return C.report("callbackSecondArgument", node.arguments[1], { method: fn });
  if (cb.generator) return C.report("generatorCallback", cb);
  if (cb.async) return C.report("asyncArrayCallback", cb, { method: fn });
  const params = cb.params;
  if (params.length < 1 || params.length > 2 || params.some((p) => p.type !== "Identifier")) return C.report("callbackParams", cb, { method: fn });
  let body: t.Node = cb.body;
  if (body.type === "BlockStatement") {
    const only = body.body.length === 1 ? body.body[0] : null;
    if (only?.type !== "ReturnStatement" || !only.argument) return C.report("callbackStatements", cb.body, { method: fn });
    body = only.argument;
  }
  if (C.awaits.contains(body)) return C.report("awaitInArrayCallback", body, { method: fn });
  checkExpr(C, callee.object);
  C.scopes.push();
  for (const p of params) C.scopes.declare((p as t.Identifier).name, "callback");
  C.pureDepth++;
  try {
    checkExpr(C, body);
  } finally {
    C.pureDepth--;
    C.scopes.pop();
  }
}

/** The value assigned to a variable or pattern: the position where `xs.map(cb)` may stand. */
export function checkValue(C: Checker, node: t.Node): void {
  if (isArrayFnCall(node)) checkArrayFn(C, node);
  else checkExpr(C, node);
}
