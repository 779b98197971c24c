import type * as t from "@babel/types";
import type { Expr, Item } from "../../ir-schema/index.ts";
import { Authoring } from "../../ir-schema/vocabulary.ts";
import { BuiltinFunctions, MethodNames } from "../../ir-schema/builtins.ts";
import type { Lowerer } from "./lowerer.ts";
import { endChain, lit } from "./ir.ts";
import { markNonRetryable } from "../check/error-classes.ts";
import { staticRef } from "../check/static-refs.ts";
import { isChainBoundary, lowerExpr, lowerItems } from "./expressions.ts";

const BUILTINS: ReadonlySet<string> = new Set(BuiltinFunctions);

/**
 * A call in an ordinary expression position: a pure builtin or a method on a
 * value. The check phase rejected every other call here (action calls, `sleep`
 * and `Promise.all` are lowered in the positions the statement and await
 * lowering handle).
 */
export function lowerCall(L: Lowerer, node: t.CallExpression | t.OptionalCallExpression): Expr {
  const callee = node.callee;
  const r = staticRef(L, callee);
  if (r) return r.kind === "global" && BUILTINS.has(r.dotted) ? { args: lowerItems(L, node.arguments), kind: "builtin", name: r.dotted } : lit(null);
  if (callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression") {
    const name = !callee.computed && callee.property.type === "Identifier" ? callee.property.name : null;
    if (name && MethodNames.has(name)) {
      const [receiver, args] = receiverAndArgs(L, callee.object, node.arguments);
      const object = isChainBoundary(callee, callee.object) ? endChain(receiver) : receiver;
      // `a?.m()` short-circuits on `a`; `a?.b.m()` continues a's chain. (`a.m?.()`
      // tests the method, which a known method of a's type always is: plain.)
      const optional = callee.type === "OptionalMemberExpression" && callee.optional;
      return { args, kind: "method", name, object, optional };
    }
  }
  return lit(null);
}

/** The receiver is the first operand: it is spilled when an argument suspends. */
function receiverAndArgs(L: Lowerer, object: t.Node, args: t.CallExpression["arguments"]): [Expr, Item[]] {
  const [receiver, ...items] = lowerItems(L, [object, ...args]);
  return [receiver as Expr, items];
}

/** `new RetryPolicy(options)`, the only constructor a workflow body may call. */
export function lowerNew(L: Lowerer, node: t.NewExpression): Expr {
  const r = staticRef(L, node.callee);
  if (r?.kind !== "module" || r.resolved.kind !== "cairn" || r.resolved.name !== Authoring.RetryPolicy) return lit(null);
  const arg = node.arguments[0];
  markNonRetryable(L.classNames, arg);
  const options = arg && arg.type !== "SpreadElement" ? lowerExpr(L, arg) : { kind: "object" as const, props: [] };
  return { kind: "retryPolicy", options };
}
