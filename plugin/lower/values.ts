import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { BuiltinConstants } from "../../ir-schema/builtins.ts";
import type { Lowerer } from "./lowerer.ts";
import type { StaticRef } from "../check/static-refs.ts";
import { constant, lit } from "./ir.ts";
import { errorClassName } from "./error-classes.ts";

const GLOBAL_VALUES: ReadonlySet<string> = new Set(["undefined", "NaN", "Infinity"]);

/**
 * The value of a statically resolved reference used as an expression: constants
 * and enum members are inlined, `undefined`/`NaN`/`Infinity` and builtin constants
 * become IR globals/literals, an error class in a `nonRetryable` list its name.
 * The check phase rejected every other reference used as a value.
 */
export function staticValue(L: Lowerer, node: t.Node, r: StaticRef): Expr {
  if (L.classNames.has(node)) {
    const name = errorClassName(L, node);
    if (name !== null) return lit(name);
  }
  if (r.kind === "global") {
    if (GLOBAL_VALUES.has(r.dotted)) return { kind: "global", name: r.dotted as "undefined" | "NaN" | "Infinity" };
    if (r.dotted in BuiltinConstants) return lit(BuiltinConstants[r.dotted as keyof typeof BuiltinConstants]);
    return lit(null);
  }
  return r.kind === "module" && r.resolved.kind === "const" ? constant(r.resolved.value) : lit(null);
}
