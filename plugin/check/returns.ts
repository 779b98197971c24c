import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Checker } from "./checker.ts";
import { dispatchOf } from "./calls.ts";
import { isSleep, parallelMode } from "./forms.ts";
import { localBinding } from "./static-refs.ts";
import { checkExpr } from "./expressions.ts";
import { checkAwaited } from "./awaits.ts";

/*
 * `return load(id)` without `await`. An async function that returns a promise
 * resolves with the promise's outcome, so outside a `try` it means exactly
 * `return await load(id)`, and is checked (and lowered, lower/returns.ts) as that.
 * Inside a `try` it does not: the `catch` never sees the call's failure and a
 * `finally` runs before the call settles, which the IR cannot express, so it is
 * reported there rather than silently given `await`'s meaning.
 */

/** The value of a `return` (or an arrow workflow's expression body), in tail position. */
export function checkReturnValue(C: Checker, value: t.Expression): void {
  const e = unwrapTs(value);
  if (e.type === "ConditionalExpression") {
    // `return c ? a(x) : b(x)` returns one branch's promise: each branch is in tail position.
    checkExpr(C, e.test);
    checkReturnValue(C, e.consequent);
    checkReturnValue(C, e.alternate);
    return;
  }
  if (e.type === "Identifier") {
    const local = localBinding(C, e);
    // Whether it holds a pending call is known once the whole body is seen (checkReturnedLocals).
    if (local) {
      C.returnedLocals.push({ irName: local.irName, node: e, inTry: C.tryDepth > 0 });
      return;
    }
  }
  if (!isPending(C, e)) return checkExpr(C, e);
  if (C.tryDepth > 0) C.report("returnPendingInTry", e, { call: C.text(e) });
  else C.awaitedReturns.add(e);
  checkAwaited(C, e, e, "value");
}

/** A call `await` would wait for: an action or child workflow (also through runAction/runWorkflow), receive, send, Promise.all/allSettled, sleep. */
function isPending(C: Checker, e: t.Expression): e is t.CallExpression {
  if (e.type !== "CallExpression") return false;
  // A malformed call ("invalid") is reported as such by checkExpr, not as pending.
  const d = dispatchOf(C, e);
  return d === "invalid" ? false : d !== null || parallelMode(C, e) !== null || isSleep(C, e);
}

/** Returned locals that hold a pending call are awaited like one; any other is an ordinary value. */
export function checkReturnedLocals(C: Checker): void {
  for (const { irName, node, inTry } of C.returnedLocals) {
    const handle = C.handles.get(irName);
    if (!handle) continue;
    if (inTry) C.report("returnPendingInTry", node, { call: node.name });
    else {
      C.awaitedReturns.add(node);
      if (handle.isVoid) C.report("voidResult", node, { name: handle.callee });
    }
  }
}
