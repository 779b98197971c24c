import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { BUILTIN_ERROR_CLASSES } from "../analyze/module-graph.ts";
import type { Lowerer } from "./lowerer.ts";
import { lit } from "./ir.ts";
import { staticRef } from "./static-refs.ts";
import { lowerExpr } from "./expressions.ts";

/** The class name `x instanceof C` matches against an error's ancestry, or null when C is not an error class. */
function errorClassName(L: Lowerer, right: t.Node): string | null {
  const r = staticRef(L, right);
  if (r?.kind === "global" && BUILTIN_ERROR_CLASSES.has(r.dotted)) return r.dotted;
  if (r?.kind !== "module") return null;
  if (r.resolved.kind === "errorClass") {
    L.errorRefs.set(L.text(right), r.resolved.className);
    return r.resolved.className;
  }
  if (r.resolved.kind === "cairn" && r.resolved.name === "ActionTimeoutError") return "ActionTimeoutError";
  return null;
}

/** `err instanceof X` for error classes only: errors cross the interpreter as `{ name, message, ancestry }`. */
export function lowerInstanceof(L: Lowerer, node: t.BinaryExpression): Expr {
  const className = errorClassName(L, node.right);
  const value = lowerExpr(L, node.left);
  if (!className) {
    L.report("unsupported", node.right, {
      what: `\`instanceof ${L.text(node.right)}\``,
      hint: "`instanceof` can only match error classes (classes that extend Error); check a property such as `x.kind` instead",
    });
    return lit(false);
  }
  L.errors.add(className);
  return { className, kind: "isError", value };
}
