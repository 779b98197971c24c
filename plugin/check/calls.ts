import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Resolved } from "../analyze/module-graph.ts";
import { Authoring } from "../../ir-schema/vocabulary.ts";
import { staticRef, type RefContext } from "./static-refs.ts";

export type ActionRef = Extract<Resolved, { kind: "action" }>;

export interface ActionCall {
  /** The action call itself: `greet(name)`. */
  call: t.CallExpression;
  action: ActionRef;
  /** Source text of the callee, for messages. */
  callee: string;
  /** The options argument of `runAction(call, options)`, if any. */
  options: t.Node | null;
}

/**
 * What a call node dispatches, as the check phase classified it: an action call
 * (possibly wrapped in `runAction(call, options)`), "invalid" for a malformed
 * `runAction` (reported by the check phase), or null for any other call.
 */
export type Dispatch = ActionCall | "invalid" | null;

/** RefContext plus the workflow's form and the side table of classified calls. */
export interface CallContext extends RefContext {
  readonly form: "class" | "function";
  readonly calls: Map<t.Node, Dispatch>;
}

/** `runAction` in the function form, `this.runAction` in the class form. */
export function isRunAction(L: CallContext, callee: t.Node): boolean {
  const r = staticRef(L, callee);
  if (r?.kind === "module") return r.resolved.kind === "cairn" && r.resolved.name === Authoring.runAction;
  return r?.kind === "this" && r.dotted === `this.${Authoring.runAction}` && L.form === "class";
}

/** Classifies a call node (memoized in the side table); the check phase reports what is "invalid". */
export function matchActionCall(L: CallContext, input: t.Node): Dispatch {
  const node = unwrapTs(input as t.Expression);
  if (node.type !== "CallExpression") return null;
  const known = L.calls.get(node);
  if (known !== undefined) return known;
  const found = classifyCall(L, node);
  L.calls.set(node, found);
  return found;
}

function classifyCall(L: CallContext, node: t.CallExpression): Dispatch {
  if (isRunAction(L, node.callee)) {
    const inner = node.arguments[0] ? unwrapTs(node.arguments[0] as t.Expression) : null;
    const found = inner ? matchActionCall(L, inner) : null;
    if (!found || found === "invalid" || found.options || node.arguments.length > 2 || node.arguments[1]?.type === "SpreadElement") {
      return "invalid";
    }
    return { ...found, options: node.arguments[1] ?? null };
  }
  const r = staticRef(L, node.callee);
  if (r?.kind === "module" && r.resolved.kind === "action") {
    return { call: node, action: r.resolved, callee: r.text, options: null };
  }
  return null;
}
