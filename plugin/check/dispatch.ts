import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import { Authoring, ReceiveOptionKeys } from "../../ir-schema/vocabulary.ts";
import type { Checker } from "./checker.ts";
import { staticRef } from "./static-refs.ts";
import { isRunAction, workflowOf, type ActionCall, type DispatchCall } from "./calls.ts";
import { markNonRetryable } from "./error-classes.ts";
import { isExpressionArg } from "./forms.ts";
import { actionLocation, describeAction, importPath, sameAction } from "./actions.ts";
import { checkExpr, checkItems } from "./expressions.ts";

/**
 * Reports a call classified "invalid": a malformed `runAction(...)` (and one
 * nested in its first argument), a workflow class called as a function, a
 * `runWorkflow` of something that is not a workflow, `receive` or `send` with
 * the wrong arguments.
 */
export function reportInvalidCall(C: Checker, node: t.CallExpression): void {
  const call = C.text(node);
  if (!isRunAction(C, node.callee)) {
    const r = staticRef(C, node.callee);
    const res = r?.kind === "module" ? r.resolved : null;
    if (r?.kind === "module" && res && workflowOf(res, C.env.file)) C.report("classWorkflowCalled", node, { call, name: r.text });
    else if (res?.kind === "cairn" && res.name === Authoring.runWorkflow) {
      C.report(isExpressionArg(node.arguments[0]) ? "runWorkflowTarget" : "runWorkflowArguments", node, { call });
    }
    else if (res?.kind === "cairn" && res.name === Authoring.receive) C.report("receiveArguments", node, { call });
    else if (res?.kind === "cairn" && res.name === Authoring.send) C.report("sendArguments", node, { call });
    return;
  }
  C.report("runActionArguments", node, { call });
  const inner = node.arguments[0] ? unwrapTs(node.arguments[0] as t.Expression) : null;
  if (inner?.type === "CallExpression" && C.calls.get(inner) === "invalid") reportInvalidCall(C, inner);
}

/** A dispatched call (an action, a child workflow, `receive`, `send`): its arguments, and what it calls. */
export function checkDispatch(C: Checker, d: DispatchCall): void {
  switch (d.kind) {
    case "action":
      return checkActionCall(C, d);
    case "child":
      return checkItems(C, d.args);
    case "receive":
      checkExpr(C, d.topic);
      if (d.options) checkReceiveOptions(C, d.call, d.options);
      return;
    case "send":
      checkExpr(C, d.instance);
      checkExpr(C, d.topic);
      checkExpr(C, d.message);
  }
}

const RECEIVE_OPTIONS: ReadonlySet<string> = new Set(ReceiveOptionKeys);

/** `{ timeout }`, or any expression holding the options (read at run time). */
function checkReceiveOptions(C: Checker, call: t.CallExpression, options: t.Expression): void {
  const o = unwrapTs(options);
  if (o.type !== "ObjectExpression") return checkExpr(C, o);
  for (const p of o.properties) {
    if (p.type !== "ObjectProperty" || p.computed) {
      C.report("receiveOptionsShape", p, { call: C.text(call) });
      continue;
    }
    const key = p.key.type === "Identifier" ? p.key.name : p.key.type === "StringLiteral" ? p.key.value : C.text(p.key);
    if (!RECEIVE_OPTIONS.has(key)) C.report("receiveOption", p.key, { key, keys: ReceiveOptionKeys.map((k) => `\`${k}\``).join(", ") });
    else checkExpr(C, p.value);
  }
}

/** An action call: its arguments and options, and the action itself (named, one action per name in the workflow, exported for the workers). */
function checkActionCall(C: Checker, ac: ActionCall): void {
  const { action } = ac;
  if (action.name === null) {
    // Actions of this file are reported where they are defined; imported ones here.
    if (action.file !== C.env.file) C.report("anonymousImportedAction", ac.call, { callee: ac.callee, file: importPath(C.env.file, action.file) });
    return;
  }
  checkItems(C, ac.call.arguments);
  markNonRetryable(C.classNames, ac.options);
  if (ac.options) checkExpr(C, ac.options);
  const location = actionLocation({ ...action, name: action.name });
  const known = C.actions.get(action.name);
  if (known && !sameAction(known, location)) {
    C.report("actionNameClash", ac.call, { name: action.name, first: describeAction(C.env.file, known), second: describeAction(C.env.file, location) });
  }
  if (!known && action.exportName === null) {
    C.report("actionNotExported", ac.call, { name: action.name, local: action.local, file: importPath(C.env.file, action.file), callee: ac.callee });
  }
  C.actions.set(action.name, known ?? location);
}
