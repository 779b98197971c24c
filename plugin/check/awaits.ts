import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Checker } from "./checker.ts";
import { localBinding } from "./static-refs.ts";
import { dispatchOf } from "./calls.ts";
import { isExpressionArg, isPublish, isSleep, parallelMode } from "./forms.ts";
import { checkExpr } from "./expressions.ts";
import { checkDispatch, reportInvalidCall } from "./dispatch.ts";
import { checkParallel } from "./parallel.ts";

/** "value": the awaited result is used; "discard": `await x;` as a statement. */
export type Use = "value" | "discard";

/** What may be awaited: a dispatching call, `Promise.all`, `sleep`, a handle variable, or any value. */
export function checkAwait(C: Checker, node: t.AwaitExpression, use: Use): void {
  if (C.pureDepth > 0) {
    C.report("awaitInCallback", node);
    return;
  }
  checkAwaited(C, node, unwrapTs(node.argument), use);
}

/**
 * `arg` awaited, reported at `node`: the argument of an `await`, or the value of a
 * `return` that returns a pending call (returns.ts), which JavaScript awaits too.
 */
export function checkAwaited(C: Checker, node: t.Node, arg: t.Expression, use: Use): void {
  const ac = dispatchOf(C, arg);
  if (ac === "invalid") return reportInvalidCall(C, arg as t.CallExpression);
  if (ac) {
    if (use === "value" && ac.kind === "action" && ac.action.isVoid) C.report("voidResult", node, { name: ac.callee });
    checkDispatch(C, ac);
    return;
  }
  if (arg.type === "CallExpression") {
    const mode = parallelMode(C, arg);
    if (mode) return checkParallel(C, arg, mode);
    if (isSleep(C, arg)) return checkSleep(C, arg);
    if (isPublish(C, arg)) return C.report("publishAwaited", arg, { call: C.text(arg) });
  }
  const local = localBinding(C, arg);
  if (local) {
    const handle = C.handles.get(local.irName);
    if (use === "value" && handle?.isVoid) C.report("voidResult", node, { name: handle.callee });
    return;
  }
  checkExpr(C, arg);
}

function checkSleep(C: Checker, call: t.CallExpression): void {
  const [duration, ...rest] = call.arguments;
  if (!isExpressionArg(duration) || rest.length > 1) {
    C.report("sleepArguments", call, { call: C.text(call) });
    return;
  }
  checkExpr(C, duration);
  // `setTimeout(ms, value)` from timers/promises resolves to `value`.
  if (isExpressionArg(rest[0])) checkExpr(C, rest[0]);
}
