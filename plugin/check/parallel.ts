import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Checker } from "./checker.ts";
import { localBinding } from "./static-refs.ts";
import { dispatchOf } from "./calls.ts";
import { fanOutBody, isExpressionArg, matchFanOut, type ParallelMode } from "./forms.ts";
import { checkExpr } from "./expressions.ts";
import { checkDispatch, reportInvalidCall } from "./dispatch.ts";

/** `await Promise.all([...])` / `allSettled`: one array, of calls to dispatch, handles or values; or a fan-out. */
export function checkParallel(C: Checker, call: t.CallExpression, mode: ParallelMode): void {
  const arg = call.arguments[0];
  if (call.arguments.length !== 1 || !isExpressionArg(arg)) {
    C.report("combinatorArguments", call, { mode });
    return;
  }
  const list = unwrapTs(arg);
  if (list.type === "ArrayExpression") {
    for (const el of list.elements) {
      if (!el) continue;
      if (el.type === "SpreadElement") {
        checkExpr(C, el.argument);
        continue;
      }
      const ac = dispatchOf(C, el);
      if (ac === "invalid") reportInvalidCall(C, unwrapTs(el) as t.CallExpression);
      else if (ac) checkDispatch(C, ac);
      // A handle variable is what Promise.all is for: not a "use as a value".
      else if (!localBinding(C, unwrapTs(el))) checkExpr(C, el);
    }
    return;
  }
  const fanOut = matchFanOut(C, list);
  if (!fanOut) {
    reportInvalidFanOutBody(C, list);
    checkExpr(C, list);
    return;
  }
  checkExpr(C, fanOut.source);
  C.scopes.push();
  C.scopes.declare(fanOut.param.name, "callback");
  if (fanOut.index) C.scopes.declare(fanOut.index.name, "callback");
  const body = fanOut.body;
  if (C.awaits.contains(body.call) || (body.kind === "action" && body.options && C.awaits.contains(body.options))) {
    C.report("awaitInFanOutArguments", fanOut.body.call);
  }
  checkDispatch(C, body);
  C.scopes.pop();
}

/** A `.map` callback whose body is a malformed call (`runAction(...)`, ...): matchFanOut classified it; report it. */
function reportInvalidFanOutBody(C: Checker, list: t.Expression): void {
  const body = fanOutBody(list);
  if (body?.type === "CallExpression" && C.calls.get(body) === "invalid") reportInvalidCall(C, body);
}
