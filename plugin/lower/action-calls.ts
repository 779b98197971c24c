import { dirname, relative, sep } from "node:path";
import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Resolved } from "../analyze/module-graph.ts";
import type { Lowerer } from "./lowerer.ts";
import { Authoring } from "../../ir-schema/vocabulary.ts";
import type { ActionLocation } from "../types.ts";
import { lowerExprs, type Operand } from "./anf.ts";
import { array } from "./ir.ts";
import { staticRef } from "./static-refs.ts";
import { markNonRetryable } from "./error-classes.ts";
import { lowerItems } from "./expressions.ts";

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

/** `runAction` in the function form, `this.runAction` in the class form. */
export function isRunAction(L: Lowerer, callee: t.Node): boolean {
  const r = staticRef(L, callee);
  if (r?.kind === "module") return r.resolved.kind === "cairn" && r.resolved.name === Authoring.runAction;
  return r?.kind === "this" && r.dotted === `this.${Authoring.runAction}` && L.env.form === "class";
}

/**
 * Recognises an action call, optionally wrapped in `runAction(call, options)`.
 * Returns "invalid" (after reporting) for a malformed `runAction`, null for anything else.
 */
export function matchActionCall(L: Lowerer, input: t.Node): ActionCall | "invalid" | null {
  const node = unwrapTs(input as t.Expression);
  if (node.type !== "CallExpression") return null;
  if (isRunAction(L, node.callee)) {
    const inner = node.arguments[0] ? unwrapTs(node.arguments[0] as t.Expression) : null;
    const found = inner ? matchActionCall(L, inner) : null;
    if (!found || found === "invalid" || found.options || node.arguments.length > 2 || node.arguments[1]?.type === "SpreadElement") {
      L.report("runActionArguments", node, { call: L.text(node) });
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

/**
 * Emits the `call` instruction: dispatches the action and binds its handle to
 * `target` (a fresh `%h` temporary when null, named after the arguments are
 * lowered so nested calls number naturally). Returns the handle's variable.
 */
export function dispatch(L: Lowerer, ac: ActionCall, target: string | null): string {
  const loc = L.loc(ac.call);
  const { action } = ac;
  if (action.name === null) {
    // Actions of this file are reported where they are defined; imported ones here.
    if (action.file !== L.env.file) L.report("anonymousImportedAction", ac.call, { callee: ac.callee, file: importPath(L.env.file, action.file) });
    return target ?? L.temp("h");
  }
  const operands: Array<t.Node | Operand<Expr>> = [{ node: ac.call, lower: () => array(lowerItems(L, ac.call.arguments)) }];
  markNonRetryable(L, ac.options);
  if (ac.options) operands.push(ac.options);
  const [args, options = null] = lowerExprs(L, operands);
  const location = { name: action.name, file: action.file, exportName: action.exportName ?? action.local };
  const known = L.actions.get(action.name);
  if (known && !sameAction(known, location)) {
    L.report("actionNameClash", ac.call, { name: action.name, first: describeAction(L.env.file, known), second: describeAction(L.env.file, location) });
  }
  if (!known && action.exportName === null) {
    L.report("actionNotExported", ac.call, { name: action.name, local: action.local, file: importPath(L.env.file, action.file), callee: ac.callee });
  }
  L.actions.set(action.name, known ?? location);
  const site = L.nextSite();
  const handle = target ?? L.temp("h");
  L.emit({ action: action.name, args, iter: [...L.iter], kind: "call", loc, options, site, target: handle });
  return handle;
}

/** Whether two call sites name one action: the same export of the same file. */
export function sameAction(a: ActionLocation, b: ActionLocation): boolean {
  return a.file === b.file && a.exportName === b.exportName;
}

/** An action as seen from the module `from`: its export and its file. */
export function describeAction(from: string, action: ActionLocation): string {
  return `\`${action.exportName}\` of ${importPath(from, action.file)}`;
}

/** `file` as an import from the module `from` would name it (`./a.ts`, `../lib/a.ts`). */
function importPath(from: string, file: string): string {
  const rel = relative(dirname(from), file).split(sep).join("/");
  return rel.startsWith("../") ? rel : `./${rel}`;
}
