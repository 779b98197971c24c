import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import { lit } from "./ir.ts";
import { errorClassName } from "./error-classes.ts";
import { lowerExpr } from "./expressions.ts";

/** `err instanceof X` for error classes only: errors cross the interpreter as `{ name, message, ancestry }`. */
export function lowerInstanceof(L: Lowerer, node: t.BinaryExpression): Expr {
  const className = errorClassName(L, node.right);
  const value = lowerExpr(L, node.left);
  if (!className) return lit(false);
  L.errors.add(className);
  return { className, kind: "isError", value };
}
