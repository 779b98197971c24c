import type * as t from "@babel/types";
import { BUILTIN_ERROR_CLASSES } from "../analyze/module-graph.ts";
import type { Lowerer } from "./lowerer.ts";
import { staticRef } from "./static-refs.ts";
import { CallOption, RetryOption, authoringRole } from "../../ir-schema/vocabulary.ts";

/**
 * The class name an error class reference stands for (`NotFound`, `errors.NotFound`,
 * `TypeError`, `ActionTimeoutError`), or null when `node` is no error class. Errors
 * cross the interpreter as `{ name, message, ancestry }`, so a class is matched by
 * name: the bundlers pin the names of the classes recorded in `errorRefs`.
 */
export function errorClassName(L: Lowerer, node: t.Node): string | null {
  const r = staticRef(L, node);
  if (r?.kind === "global" && BUILTIN_ERROR_CLASSES.has(r.dotted)) return r.dotted;
  if (r?.kind !== "module") return null;
  if (r.resolved.kind === "errorClass") {
    L.errorRefs.set(L.text(node), r.resolved.className);
    return r.resolved.className;
  }
  // cairn's own error classes are named as exported (runtime/api sets each `name` from the vocabulary).
  if (r.resolved.kind === "cairn" && authoringRole(r.resolved.name) === "errorClass") return r.resolved.name;
  return null;
}

/**
 * Marks the entries of `nonRetryable: [...]` lists in call options or a
 * `RetryPolicy`'s options (`{ retry: { nonRetryable: [CardDeclined] } }`): there an
 * error class stands for its name (see staticValue), the only place a class may be
 * used as a value.
 */
export function markNonRetryable(L: Lowerer, options: t.Node | null | undefined): void {
  if (options?.type !== "ObjectExpression") return;
  for (const p of options.properties) {
    if (p.type !== "ObjectProperty" || p.computed) continue;
    const key = p.key.type === "Identifier" ? p.key.name : p.key.type === "StringLiteral" ? p.key.value : null;
    if (key === CallOption.retry) {
      const v = p.value;
      markNonRetryable(L, v.type === "NewExpression" ? v.arguments[0] : v);
    } else if (key === RetryOption.nonRetryable && p.value.type === "ArrayExpression") {
      for (const e of p.value.elements) if (e) L.classNames.add(e);
    }
  }
}
