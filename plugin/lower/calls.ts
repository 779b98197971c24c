import { isBuiltin } from "node:module";
import type * as t from "@babel/types";
import type { Expr, Item } from "../../ir-schema/index.ts";
import { ArrayFns, Authoring, TIMER_SLEEP, authoringRole } from "../../ir-schema/vocabulary.ts";
import { BuiltinFunctions, MethodNames } from "../../ir-schema/builtins.ts";
import type { Lowerer } from "./lowerer.ts";
import { endChain, lit } from "./ir.ts";
import { markNonRetryable } from "./error-classes.ts";
import { isNondeterministic, staticRef, type StaticRef } from "./static-refs.ts";
import { isChainBoundary, lowerExpr, lowerItems } from "./expressions.ts";
import { matchActionCall } from "./action-calls.ts";
import { logMethodLevel } from "./logs.ts";

const BUILTINS: ReadonlySet<string> = new Set(BuiltinFunctions);
const ARRAY_FNS: ReadonlySet<string> = new Set(ArrayFns);

/**
 * A call in an ordinary expression position: a pure builtin or method. Action
 * calls, `sleep` and `Promise.all` are only valid in the positions the statement
 * and await lowering handle; reaching them here is a misuse, reported precisely.
 */
export function lowerCall(L: Lowerer, node: t.CallExpression | t.OptionalCallExpression): Expr {
  const fail = lit(null);
  const what = `\`${L.text(node)}\``;
  if (node.type === "CallExpression") {
    const ac = matchActionCall(L, node);
    if (ac === "invalid") return fail;
    if (ac) {
      if (L.pureDepth > 0) {
        L.report("actionInCallback", node, { callee: ac.callee });
      } else {
        L.report("handleAsValue", node, { name: L.text(node) });
      }
      return fail;
    }
  }
  const callee = node.callee;
  const r = staticRef(L, callee);
  if (r) {
    if (r.kind === "global" && BUILTINS.has(r.dotted)) {
      return { args: lowerItems(L, node.arguments), kind: "builtin", name: r.dotted };
    }
    reportStaticCall(L, node, r, what);
    return fail;
  }
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
    if (name && ARRAY_FNS.has(name)) {
      const cb = node.arguments[0];
      if ((cb?.type === "ArrowFunctionExpression" || cb?.type === "FunctionExpression") && cb.async) {
        // An async body can only be the one form that dispatches actions: say so, not "assign it to a variable".
        L.report("asyncCallbackElsewhere", node, { method: name });
      } else L.report("nestedFunction", node, { what: `the callback of \`.${name}(...)\` in this position` });
      return fail;
    }
    if (name === "push") {
      L.report("assignInExpression", node, { what: `${what} (it mutates its array)` });
      return fail;
    }
    if (name && node.arguments.some((a) => a.type === "ArrowFunctionExpression" || a.type === "FunctionExpression")) {
      // `.reduce(fn)`, `.forEach(fn)`, `.sort(fn)`: the function is what cannot be lowered.
      L.report("nestedFunction", node, { what: `the callback of \`.${name}(...)\`` });
      return fail;
    }
    L.report("notCallable", node, { what: name ? `the method \`.${name}(...)\` in ${what}` : what });
    return fail;
  }
  if (callee.type === "ArrowFunctionExpression" || callee.type === "FunctionExpression") {
    L.report("nestedFunction", callee, { what: "an immediately invoked function" });
    return fail;
  }
  L.report("notCallable", node, { what });
  return fail;
}

/** The receiver is the first operand: it is spilled when an argument suspends. */
function receiverAndArgs(L: Lowerer, object: t.Node, args: t.CallExpression["arguments"]): [Expr, Item[]] {
  const [receiver, ...items] = lowerItems(L, [object, ...args]);
  return [receiver as Expr, items];
}

function reportStaticCall(L: Lowerer, node: t.Node, r: StaticRef, what: string): void {
  if (r.kind === "global") {
    if (isNondeterministic(r.dotted)) L.report("nondeterministic", node, { what });
    else if (logMethodLevel(r.dotted)) {
      L.report("logInExpression", node, { method: r.dotted });
    }
    else if (r.dotted === "Promise.all" || r.dotted === "Promise.allSettled") {
      L.report("combinatorNotAwaited", node, { combinator: r.dotted });
    } else L.report("notCallable", node, { what });
    return;
  }
  if (r.kind === "this") {
    // The only call on `this` a workflow class has is this.runAction, handled before: the rest are its own methods.
    L.report("notCallable", node, { what: `${what}, a method of the workflow class,` });
    return;
  }
  const res = r.resolved;
  if ((res.kind === "cairn" && authoringRole(res.name) === "awaited") || (res.kind === "timers" && res.name === TIMER_SLEEP)) {
    L.report("primitiveNotAwaited", node, { call: L.text(node) });
  } else if (res.kind === "cairn" && authoringRole(res.name) === "actionOnly") {
    L.report("actionOnlyPrimitive", node, { callee: r.text, name: res.name });
  } else if (res.kind === "cairn") {
    L.report("moduleLevelPrimitive", node, { callee: r.text });
  } else if (res.kind === "timers") {
    L.report("nondeterministic", node, { what });
  } else if (res.kind === "external") {
    // It may well be an action: say why the compiler cannot tell.
    const from = isBuiltin(res.source) ? `Node's "${res.source}" module` : `"${res.source}", a package the compiler does not read`;
    L.report("notCallable", node, { what: `${what} (imported from ${from})` });
  } else {
    L.report("notCallable", node, { what });
  }
}

/** `new RetryPolicy(options)` is the only constructor a workflow body may call. */
export function lowerNew(L: Lowerer, node: t.NewExpression): Expr {
  const r = staticRef(L, node.callee);
  if (r?.kind === "module" && r.resolved.kind === "cairn" && r.resolved.name === Authoring.RetryPolicy) {
    const arg = node.arguments[0];
    if (node.arguments.length > 1 || arg?.type === "SpreadElement") {
      L.report("retryPolicyArguments", node);
      return lit(null);
    }
    markNonRetryable(L, arg);
    const options = arg ? lowerExpr(L, arg) : { kind: "object" as const, props: [] };
    return { kind: "retryPolicy", options };
  }
  const what = `\`${L.text(node)}\``;
  if (r?.kind === "global" && isNondeterministic(r.dotted)) L.report("nondeterministic", node, { what });
  else L.report("newExpression", node, { what });
  return lit(null);
}
