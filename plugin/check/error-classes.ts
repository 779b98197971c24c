import type * as t from "@babel/types";
import { BUILTIN_ERROR_CLASSES } from "../analyze/module-graph.ts";
import { staticRef, type RefContext } from "./static-refs.ts";
import { propertyKeyName } from "./forms.ts";
import { CallOption, RetryOption, authoringRole } from "../../ir-schema/vocabulary.ts";

/**
 * The error class a reference stands for (`NotFound`, `errors.NotFound`,
 * `TypeError`, `ActionTimeoutError`), or null when `node` is no error class.
 * `declared` is set for a class declared in the project (the bundlers pin its
 * name through the expression that named it). Errors cross the interpreter as
 * `{ name, message, ancestry }`, so a class is matched by name.
 */
export function errorClassOf(L: RefContext, node: t.Node): { className: string; declared: boolean } | null {
  const r = staticRef(L, node);
  if (r?.kind === "global" && BUILTIN_ERROR_CLASSES.has(r.dotted)) return { className: r.dotted, declared: false };
  if (r?.kind !== "module") return null;
  if (r.resolved.kind === "errorClass") return { className: r.resolved.className, declared: true };
  // cairn's own error classes are named as exported (runtime/api sets each `name` from the vocabulary).
  if (r.resolved.kind === "cairn" && authoringRole(r.resolved.name) === "errorClass") return { className: r.resolved.name, declared: false };
  return null;
}

/**
 * Marks the entries of `nonRetryable: [...]` lists in call options or a
 * `RetryPolicy`'s options (`{ retry: { nonRetryable: [CardDeclined] } }`): there an
 * error class stands for its name, the only place a class may be used as a value.
 */
export function markNonRetryable(classNames: WeakSet<t.Node>, options: t.Node | null | undefined): void {
  if (options?.type !== "ObjectExpression") return;
  for (const p of options.properties) {
    if (p.type !== "ObjectProperty" || p.computed) continue;
    const key = propertyKeyName(p.key);
    if (key === CallOption.retry) {
      const v = p.value;
      markNonRetryable(classNames, v.type === "NewExpression" ? v.arguments[0] : v);
    } else if (key === RetryOption.nonRetryable && p.value.type === "ArrayExpression") {
      for (const e of p.value.elements) if (e) classNames.add(e);
    }
  }
}
