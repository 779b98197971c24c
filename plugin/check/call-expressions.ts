import { isBuiltin } from "node:module";
import type * as t from "@babel/types";
import { ArrayFns, Authoring, TIMER_SLEEP, authoringRole } from "../../ir-schema/vocabulary.ts";
import { BuiltinFunctions, MethodNames } from "../../ir-schema/builtins.ts";
import type { Checker } from "./checker.ts";
import { isNondeterministic, staticRef, type StaticRef } from "./static-refs.ts";
import { dispatchOf } from "./calls.ts";
import { markNonRetryable } from "./error-classes.ts";
import { logMethodLevel } from "./forms.ts";
import { checkExpr, checkItems } from "./expressions.ts";
import { reportInvalidCall } from "./dispatch.ts";

/*
 * Calls and `new` in an ordinary expression position, where only pure builtins,
 * methods on values and `new RetryPolicy` are allowed (calls.ts classifies the
 * calls that dispatch a step, which only the statement and await positions take).
 */

const BUILTINS: ReadonlySet<string> = new Set(BuiltinFunctions);
const ARRAY_FNS: ReadonlySet<string> = new Set(ArrayFns);

/** The un-awaited call of a child workflow, `receive` or `send` used as a value. */
const AS_VALUE = { child: "childAsValue", receive: "receiveAsValue", send: "sendAsValue" } as const;

/**
 * A call in an ordinary expression position: a pure builtin or method. Action
 * calls, `sleep` and `Promise.all` are only valid in the positions the statement
 * and await checks handle; reaching them here is a misuse, reported precisely.
 */
export function checkCall(C: Checker, node: t.CallExpression | t.OptionalCallExpression): void {
  const call = C.text(node);
  if (node.type === "CallExpression") {
    const ac = dispatchOf(C, node);
    if (ac === "invalid") return reportInvalidCall(C, node);
    if (ac) {
      if (C.pureDepth > 0) C.report(ac.kind === "action" ? "actionInCallback" : "stepInCallback", node, { callee: ac.callee });
      else if (ac.kind === "action") C.report("handleAsValue", node, { name: C.text(node) });
      else C.report(AS_VALUE[ac.kind], node, { call: C.text(node) });
      return;
    }
  }
  const callee = node.callee;
  const r = staticRef(C, callee);
  if (r) {
    if (r.kind === "global" && BUILTINS.has(r.dotted)) return checkItems(C, node.arguments);
    return reportStaticCall(C, node, r, call);
  }
  if (callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression") {
    const name = !callee.computed && callee.property.type === "Identifier" ? callee.property.name : null;
    if (name && MethodNames.has(name)) return checkItems(C, [callee.object, ...node.arguments]);
    if (name && ARRAY_FNS.has(name)) {
      const cb = node.arguments[0];
      if ((cb?.type === "ArrowFunctionExpression" || cb?.type === "FunctionExpression") && cb.async) {
        // An async body can only be the one form that dispatches actions: say so, not "assign it to a variable".
        C.report("asyncCallbackElsewhere", node, { method: name });
      } else C.report("callbackOutOfPlace", node, { method: name });
      return;
    }
    if (name === "push") return C.report("pushInExpression", node, { call });
    if (name && node.arguments.some((a) => a.type === "ArrowFunctionExpression" || a.type === "FunctionExpression")) {
      // `.reduce(fn)`, `.forEach(fn)`, `.sort(fn)`: the function is what cannot be lowered.
      return C.report("callbackOfMethod", node, { method: name });
    }
    return name ? C.report("methodNotCallable", node, { method: name, call }) : C.report("notCallable", node, { call });
  }
  if (callee.type === "ArrowFunctionExpression" || callee.type === "FunctionExpression") return C.report("immediatelyInvoked", callee);
  C.report("notCallable", node, { call });
}

function reportStaticCall(C: Checker, node: t.Node, r: StaticRef, call: string): void {
  if (r.kind === "global") {
    if (isNondeterministic(r.dotted)) C.report("nondeterministicCall", node, { call });
    else if (logMethodLevel(r.dotted)) C.report("logInExpression", node, { method: r.dotted });
    else if (r.dotted === "Promise.all" || r.dotted === "Promise.allSettled") C.report("combinatorNotAwaited", node, { combinator: r.dotted });
    else C.report("notCallable", node, { call });
    return;
  }
  if (r.kind === "this") {
    // The only call on `this` a workflow class has is this.runAction, handled before: the rest are its own methods.
    C.report("workflowClassMethod", node, { call });
    return;
  }
  const res = r.resolved;
  if (res.kind === "unresolved") {
    C.report("unresolvedImportCall", node, { call, name: r.text });
  } else if (res.kind === "cairn" && authoringRole(res.name) === "statement") {
    C.report("publishInExpression", node, { call });
  } else if ((res.kind === "cairn" && authoringRole(res.name) === "awaited") || (res.kind === "timers" && res.name === TIMER_SLEEP)) {
    C.report("primitiveNotAwaited", node, { call: C.text(node) });
  } else if (res.kind === "cairn" && authoringRole(res.name) === "actionOnly") {
    C.report("actionOnlyPrimitive", node, { callee: r.text, name: res.name });
  } else if (res.kind === "cairn") {
    C.report("moduleLevelPrimitive", node, { callee: r.text });
  } else if (res.kind === "timers") {
    C.report("nondeterministicTimer", node, { call });
  } else if (res.kind === "external") {
    // It may well be an action: say why the compiler cannot tell.
    C.report(isBuiltin(res.source) ? "nodeModuleCall" : "packageCall", node, { call, source: res.source });
  } else {
    C.report("notCallable", node, { call });
  }
}

/** `new RetryPolicy(options)` is the only constructor a workflow body may call. */
export function checkNew(C: Checker, node: t.NewExpression): void {
  const r = staticRef(C, node.callee);
  if (r?.kind === "module" && r.resolved.kind === "cairn" && r.resolved.name === Authoring.RetryPolicy) {
    const arg = node.arguments[0];
    if (node.arguments.length > 1 || arg?.type === "SpreadElement") return C.report("retryPolicyArguments", node);
    markNonRetryable(C.classNames, arg);
    if (arg) checkExpr(C, arg);
    return;
  }
  const call = C.text(node);
  if (r?.kind === "global" && isNondeterministic(r.dotted)) C.report("nondeterministicConstruction", node, { call });
  else C.report("newExpression", node, { call });
}
