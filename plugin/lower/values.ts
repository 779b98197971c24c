import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { BuiltinConstants, BuiltinFunctions } from "../../ir-schema/builtins.ts";
import type { Lowerer } from "./lowerer.ts";
import { describe, isNondeterministic, type StaticRef } from "./static-refs.ts";
import { constant, lit } from "./ir.ts";
import { errorClassName } from "./error-classes.ts";

const GLOBAL_VALUES: ReadonlySet<string> = new Set(["undefined", "NaN", "Infinity"]);
const BUILTIN_FUNCTIONS: ReadonlySet<string> = new Set(BuiltinFunctions);
/** `Math`, `JSON`, `Number`...: the objects whose members are builtins. */
const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(
  [...BuiltinFunctions, ...Object.keys(BuiltinConstants)].filter((n) => n.includes(".")).map((n) => n.split(".")[0]),
);

function exampleOf(namespace: string): string {
  return BuiltinFunctions.find((n) => n.startsWith(`${namespace}.`)) ?? namespace;
}

/**
 * The value of a statically resolved reference used as an expression: constants
 * and enum members are inlined, `undefined`/`NaN`/`Infinity` and builtin constants
 * become IR globals/literals, everything else is reported.
 */
export function staticValue(L: Lowerer, node: t.Node, r: StaticRef): Expr {
  if (L.classNames.has(node)) {
    const name = errorClassName(L, node);
    if (name !== null) return lit(name);
  }
  if (r.kind === "global") {
    if (GLOBAL_VALUES.has(r.dotted)) return { kind: "global", name: r.dotted as "undefined" | "NaN" | "Infinity" };
    if (r.dotted in BuiltinConstants) return lit(BuiltinConstants[r.dotted as keyof typeof BuiltinConstants]);
    if (isNondeterministic(r.dotted)) L.report("nondeterministic", node, { what: `\`${r.dotted}\`` });
    else if (BUILTIN_FUNCTIONS.has(r.dotted) || BUILTIN_NAMESPACES.has(r.dotted)) {
      // `Math` and `Math.max` are defined: what is missing is their use as values.
      const isFn = BUILTIN_FUNCTIONS.has(r.dotted);
      if (isFn) L.report("builtinFunctionAsValue", node, { name: r.dotted });
      else L.report("builtinNamespaceAsValue", node, { name: r.dotted, example: exampleOf(r.dotted) });
    } else L.report("unknownGlobal", node, { name: r.dotted });
    return lit(null);
  }
  if (r.kind === "this") {
    L.report("thisMember", node, { member: r.dotted });
    return lit(null);
  }
  const res = r.resolved;
  if (res.kind === "const") return constant(res.value);
  const name = r.text;
  if (res.kind === "action") L.report("actionAsValue", node, { name });
  else if (res.kind === "errorClass") L.report("errorClassAsValue", node, { name });
  else if (res.kind === "enum") L.report("enumAsValue", node, { name });
  else L.report("moduleBinding", node, { name, what: describe(res) });
  return lit(null);
}
