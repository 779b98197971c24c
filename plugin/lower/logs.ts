import type * as t from "@babel/types";
import type { Lowerer } from "./lowerer.ts";
import { logLevel } from "../check/forms.ts";
import { lowerItems } from "./expressions.ts";

/**
 * `console.log(a, b)` as a statement: a `log` instruction. Cairn does not replay, so
 * it runs once per execution of the statement and needs no action around it; its
 * arguments are evaluated like any call's (awaits first, left to right).
 */
export function lowerLog(L: Lowerer, call: t.CallExpression): boolean {
  const level = logLevel(L, call);
  if (!level) return false;
  const args = lowerItems(L, call.arguments);
  L.emit({ args, iter: [...L.iter], kind: "log", level, loc: L.loc(call), site: L.nextLogSite() });
  return true;
}
