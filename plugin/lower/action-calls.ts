import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import type { ActionCall } from "../check/calls.ts";
import { markNonRetryable } from "../check/error-classes.ts";
import { actionLocation } from "../check/actions.ts";
import { lowerExprs, type Operand } from "./anf.ts";
import { array } from "./ir.ts";
import { lowerItems } from "./expressions.ts";

export { matchActionCall, type ActionCall } from "../check/calls.ts";

/**
 * Emits the `call` instruction: dispatches the action and binds its handle to
 * `target` (a fresh `%h` temporary when null, named after the arguments are
 * lowered so nested calls number naturally). Returns the handle's variable.
 */
export function dispatch(L: Lowerer, ac: ActionCall, target: string | null): string {
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
