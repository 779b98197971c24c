import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { ReceiveOptionKeys } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import type { ActionCall, ChildCall, DispatchCall, ReceiveCall, SendCall } from "../check/calls.ts";
import { markNonRetryable } from "../check/error-classes.ts";
import { actionLocation } from "../check/actions.ts";
import { propertyKeyName } from "../check/forms.ts";
import { lowerExprs, type Operand } from "./anf.ts";
import { array, lit, member } from "./ir.ts";
import { lowerExpr, lowerItems } from "./expressions.ts";

export { dispatchOf } from "../check/calls.ts";

/**
 * Emits the instruction that dispatches a call without waiting (`call` for an
 * action, `child`, `receive`, `send`) and binds its handle to `target` (a fresh
 * `%h` temporary when null, named after the arguments are lowered so nested
 * calls number naturally). Returns the handle's variable. Every kind takes a call
 * site of one numbering, so its id (site + loop counters) names it across replays.
 */
export function dispatch(L: Lowerer, d: DispatchCall, target: string | null): string {
  switch (d.kind) {
    case "action":
      return dispatchAction(L, d, target);
    case "child":
      return dispatchChild(L, d, target);
    case "receive":
      return dispatchReceive(L, d, target);
    case "send":
      return dispatchSend(L, d, target);
  }
}

function dispatchAction(L: Lowerer, ac: ActionCall, target: string | null): string {
  const loc = L.loc(ac.call);
  const { action } = ac;
  // An action without a name was reported by the check phase: nothing to dispatch.
  if (action.name === null) return target ?? L.temp("h");
  const operands: Array<t.Node | Operand<Expr>> = [{ node: ac.call, lower: () => array(lowerItems(L, ac.call.arguments)) }];
  markNonRetryable(L.classNames, ac.options);
  if (ac.options) operands.push(ac.options);
  const [args, options = null] = lowerExprs(L, operands);
  const location = actionLocation({ ...action, name: action.name });
  if (!L.actions.has(action.name)) L.actions.set(action.name, location);
  const site = L.nextSite();
  const handle = target ?? L.temp("h");
  L.emit({ action: action.name, args, iter: [...L.iter], kind: "call", loc, options, site, target: handle });
  return handle;
}

/** `charge(id)` / `runWorkflow(Invoice, id)`: a `child` instruction naming the workflow, which the artifact lists. */
function dispatchChild(L: Lowerer, c: ChildCall, target: string | null): string {
  const loc = L.loc(c.call);
  const args = array(lowerItems(L, c.args));
  if (!L.workflows.has(c.workflow)) L.workflows.set(c.workflow, c.file);
  const site = L.nextSite();
  const handle = target ?? L.temp("h");
  L.emit({ args, iter: [...L.iter], kind: "child", loc, site, target: handle, workflow: c.workflow });
  return handle;
}

/** `receive(topic, { timeout })`: the topic, then the timeout, evaluated left to right. */
function dispatchReceive(L: Lowerer, r: ReceiveCall, target: string | null): string {
  const loc = L.loc(r.call);
  const timeout = receiveTimeout(L, r.options);
  const [topic, timeoutExpr = null] = lowerExprs(L, timeout ? [r.topic, timeout] : [r.topic]);
  const site = L.nextSite();
  const handle = target ?? L.temp("h");
  L.emit({ iter: [...L.iter], kind: "receive", loc, site, target: handle, timeout: timeoutExpr, topic });
  return handle;
}

/** The timeout of receive's options: the `timeout` property of an object literal, or read from an options value at run time. */
function receiveTimeout(L: Lowerer, options: t.Expression | null): t.Node | Operand<Expr> | null {
  if (!options) return null;
  const o = unwrapTs(options);
  if (o.type !== "ObjectExpression") {
    return { node: o, lower: () => member(lowerExpr(L, o), lit(ReceiveOptionKeys[0]), true) };
  }
  for (const p of o.properties) {
    if (p.type !== "ObjectProperty" || p.computed) continue;
    const key = propertyKeyName(p.key);
    if (key === ReceiveOptionKeys[0]) return p.value;
  }
  return null;
}

/** `send(instance, topic, message)`, its operands left to right. */
function dispatchSend(L: Lowerer, s: SendCall, target: string | null): string {
  const loc = L.loc(s.call);
  const [instance, topic, message] = lowerExprs(L, [s.instance, s.topic, s.message]);
  const site = L.nextSite();
  const handle = target ?? L.temp("h");
  L.emit({ instance, iter: [...L.iter], kind: "send", loc, message, site, target: handle, topic });
  return handle;
}
