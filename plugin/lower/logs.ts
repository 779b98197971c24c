import type * as t from "@babel/types";
import { LogLevels } from "../../ir-schema/vocabulary.ts";
import type { Lowerer } from "./lowerer.ts";
import { staticRef } from "./static-refs.ts";
import { lowerItems } from "./expressions.ts";

type LogLevel = (typeof LogLevels)[number];
const LOG_LEVELS: ReadonlySet<string> = new Set(LogLevels);

/** The level of a `console.log(...)` / info / warn / error / debug call (the global `console`, not a local of that name). */
export function logLevel(L: Lowerer, call: t.CallExpression | t.OptionalCallExpression): LogLevel | null {
  const r = staticRef(L, call.callee);
  return r?.kind === "global" ? logMethodLevel(r.dotted) : null;
}

/** `"console.warn"` → `"warn"`; null for any other global. */
export function logMethodLevel(dotted: string): LogLevel | null {
  const parts = dotted.split(".");
  return parts.length === 2 && parts[0] === "console" && LOG_LEVELS.has(parts[1]) ? (parts[1] as LogLevel) : null;
}

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
