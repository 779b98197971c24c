import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { undef } from "./ir.ts";
import { lowerExpr } from "./expressions.ts";
import { lowerAwait, lowerAwaited } from "./awaits.ts";

/**
 * `return value` (or an arrow workflow's expression body): the `return` terminator.
 * A pending call the check phase found in tail position (`awaitedReturns`,
 * check/returns.ts) is awaited, as JavaScript resolves the function's promise
 * with it; a conditional with one in a branch becomes a branch returning from each
 * side, so only the chosen call runs.
 */
export function lowerReturn(L: Lowerer, at: t.Node, value: t.Expression | null | undefined): void {
  const e = value ? unwrapTs(value) : null;
  if (e?.type === "ConditionalExpression" && awaitsInTail(L, e)) {
    const test = lowerExpr(L, e.test);
    const then = L.cfg.newBlock();
    const otherwise = L.cfg.newBlock();
    L.cfg.terminate({ cond: test, else: otherwise.id, kind: "branch", loc: L.loc(e), then: then.id });
    L.cfg.switchTo(then);
    lowerReturn(L, at, e.consequent);
    L.cfg.switchTo(otherwise);
    lowerReturn(L, at, e.alternate);
    return;
  }
  L.cfg.terminate({ kind: "return", loc: L.loc(at), value: lowerReturnValue(L, value, e) });
}

function lowerReturnValue(L: Lowerer, value: t.Expression | null | undefined, e: t.Expression | null): Expr {
  if (!value || !e) return undef();
  if (L.env.table.awaitedReturns.has(e)) return lowerAwaited(L, e, e, "value", null);
  return value.type === "AwaitExpression" ? lowerAwait(L, value, "value", null) : lowerExpr(L, value);
}

/** Whether a returned expression has a pending call in tail position. */
function awaitsInTail(L: Lowerer, value: t.Expression): boolean {
  const e = unwrapTs(value);
  if (L.env.table.awaitedReturns.has(e)) return true;
  return e.type === "ConditionalExpression" && (awaitsInTail(L, e.consequent) || awaitsInTail(L, e.alternate));
}
