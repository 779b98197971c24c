import type * as t from "@babel/types";
import { BuiltinConstants, BuiltinFunctions } from "../../ir-schema/builtins.ts";
import type { Checker } from "./checker.ts";
import { describe, isNondeterministic, type StaticRef } from "./static-refs.ts";
import { errorClassOf } from "./error-classes.ts";

const BUILTINS: ReadonlySet<string> = new Set(BuiltinFunctions);
const GLOBAL_VALUES: ReadonlySet<string> = new Set(["undefined", "NaN", "Infinity"]);
/** `Math`, `JSON`, `Number`...: the objects whose members are builtins. */
const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(
  [...BuiltinFunctions, ...Object.keys(BuiltinConstants)].filter((n) => n.includes(".")).map((n) => n.split(".")[0]),
);

function exampleOf(namespace: string): string {
  return BuiltinFunctions.find((n) => n.startsWith(`${namespace}.`)) ?? namespace;
}

/**
 * A statically resolved reference used as a value: constants, enum members,
 * `undefined`/`NaN`/`Infinity` and builtin constants are values; everything else
 * is reported.
 */
export function checkStaticValue(C: Checker, node: t.Node, r: StaticRef): void {
  if (C.classNames.has(node) && errorClassOf(C, node) !== null) return;
  if (r.kind === "global") {
    if (GLOBAL_VALUES.has(r.dotted) || r.dotted in BuiltinConstants) return;
    if (isNondeterministic(r.dotted)) C.report("nondeterministicGlobal", node, { name: r.dotted });
    // `Math` and `Math.max` are defined: what is missing is their use as values.
    else if (BUILTINS.has(r.dotted)) C.report("builtinFunctionAsValue", node, { name: r.dotted });
    else if (BUILTIN_NAMESPACES.has(r.dotted)) C.report("builtinNamespaceAsValue", node, { name: r.dotted, example: exampleOf(r.dotted) });
    else C.report("unknownGlobal", node, { name: r.dotted });
    return;
  }
  if (r.kind === "this") {
    C.report("thisMember", node, { member: r.dotted });
    return;
  }
  const res = r.resolved;
  const name = r.text;
  if (res.kind === "const") return;
  if (res.kind === "action") C.report("actionAsValue", node, { name });
  else if (res.kind === "errorClass") C.report("errorClassAsValue", node, { name });
  else if (res.kind === "enum") C.report("enumAsValue", node, { name });
  else C.report("moduleBinding", node, { name, what: describe(res) });
}
