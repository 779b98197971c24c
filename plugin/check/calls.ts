import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Resolved } from "../analyze/module-graph.ts";
import { Authoring } from "../../ir-schema/vocabulary.ts";
import { staticRef, type RefContext } from "./static-refs.ts";
import { isExpressionArg } from "./forms.ts";

export type ActionRef = Extract<Resolved, { kind: "action" }>;

/** An action call, possibly wrapped in `runAction(call, options)`. */
export interface ActionCall {
  kind: "action";
  /** The action call itself: `greet(name)`. */
  call: t.CallExpression;
  action: ActionRef;
  /** Source text of the callee, for messages. */
  callee: string;
  /** The options argument of `runAction(call, options)`, if any. */
  options: t.Node | null;
}

/** A workflow started as a child: `charge(id)` (function form) or `runWorkflow(Invoice, id)` (either form). */
export interface ChildCall {
  kind: "child";
  call: t.CallExpression;
  /** The child's workflow name. */
  workflow: string;
  /** Absolute path of the module that declares it. */
  file: string;
  callee: string;
  /** The child's arguments (after the workflow, for runWorkflow). */
  args: t.CallExpression["arguments"];
}

/** `receive(topic, options?)`. */
export interface ReceiveCall {
  kind: "receive";
  call: t.CallExpression;
  callee: string;
  topic: t.Expression;
  options: t.Expression | null;
}

/** `send(instance, topic, message)`. */
export interface SendCall {
  kind: "send";
  call: t.CallExpression;
  callee: string;
  instance: t.Expression;
  topic: t.Expression;
  message: t.Expression;
}

/** A call that dispatches a durable step and binds a handle, which `await` turns into its result. */
export type DispatchCall = ActionCall | ChildCall | ReceiveCall | SendCall;

/**
 * What a call node dispatches, as the check phase classified it; "invalid" for a
 * malformed `runAction`, `runWorkflow`, `receive` or `send` (the check phase
 * reports it), or null for any other call.
 */
export type Dispatch = DispatchCall | "invalid" | null;

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

/** The workflow a module-level binding declares: its name, form and module; null when it is none. */
export function workflowOf(r: Resolved, self: string): { name: string; form: "function" | "class"; file: string } | null {
  if (r.kind === "other" && r.workflow) return { name: r.workflow, form: "function", file: r.file ?? self };
  if (r.kind === "class" && r.workflow) return { name: r.workflow, form: "class", file: r.file ?? self };
  return null;
}

/** Classifies a call node (memoized in the side table); the check phase reports what is "invalid". */
export function dispatchOf(L: CallContext, input: t.Node): Dispatch {
  const node = unwrapTs(input as t.Expression);
  if (node.type !== "CallExpression") return null;
  const known = L.calls.get(node);
  if (known !== undefined) return known;
  const found = classifyCall(L, node);
  L.calls.set(node, found);
  return found;
}

function classifyCall(L: CallContext, node: t.CallExpression): Dispatch {
  const args = node.arguments;
  if (isRunAction(L, node.callee)) {
    const inner = args[0] ? unwrapTs(args[0] as t.Expression) : null;
    const found = inner ? dispatchOf(L, inner) : null;
    if (!found || found === "invalid" || found.kind !== "action" || found.options || args.length > 2 || args[1]?.type === "SpreadElement") {
      return "invalid";
    }
    return { ...found, options: args[1] ?? null };
  }
  const r = staticRef(L, node.callee);
  if (r?.kind !== "module") return null;
  const res = r.resolved;
  if (res.kind === "action") return { kind: "action", call: node, action: res, callee: r.text, options: null };
  const wf = workflowOf(res, L.env.file);
  // A workflow class is started with runWorkflow: called as a function it is reported.
  if (wf) return wf.form === "function" ? { kind: "child", call: node, workflow: wf.name, file: wf.file, callee: r.text, args } : "invalid";
  if (res.kind !== "cairn") return null;
  const plain = args.every(isExpressionArg);
  switch (res.name) {
    case Authoring.runWorkflow: {
      const target = args[0] && isExpressionArg(args[0]) ? staticRef(L, unwrapTs(args[0])) : null;
      const child = target?.kind === "module" ? workflowOf(target.resolved, L.env.file) : null;
      return child ? { kind: "child", call: node, workflow: child.name, file: child.file, callee: r.text, args: args.slice(1) } : "invalid";
    }
    case Authoring.receive:
      return plain && args.length >= 1 && args.length <= 2
        ? { kind: "receive", call: node, callee: r.text, topic: args[0] as t.Expression, options: (args[1] as t.Expression | undefined) ?? null }
        : "invalid";
    case Authoring.send:
      return plain && args.length === 3
        ? { kind: "send", call: node, callee: r.text, instance: args[0] as t.Expression, topic: args[1] as t.Expression, message: args[2] as t.Expression }
        : "invalid";
    default:
      return null;
  }
}
