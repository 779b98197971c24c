import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import { binary, lit, ref } from "./ir.ts";
import { unwrapTs } from "../analyze/classify.ts";
import { lowerExpr } from "./expressions.ts";
import { lowerAwait } from "./awaits.ts";

/** Evaluates `node` into `result`, letting an awaited call write straight to it. */
function assignResult(L: Lowerer, result: string, node: t.Expression): void {
  const e = unwrapTs(node);
  const v = e.type === "AwaitExpression" ? lowerAwait(L, e, "value", result) : lowerExpr(L, e);
  if (v.kind !== "var" || v.name !== result) L.assign(result, v, L.loc(e));
}

/**
 * `a && await f()`, `a || await f()`, `a ?? await f()` become control flow, so the
 * right side's actions are dispatched only when JavaScript would evaluate it.
 */
export function lowerShortCircuit(L: Lowerer, node: t.LogicalExpression): Expr {
  const loc = L.loc(node);
  const result = L.temp("t");
  assignResult(L, result, node.left);
  const right = L.cfg.newBlock();
  const join = L.cfg.newBlock();
  const v = ref(result);
  if (node.operator === "&&") L.cfg.terminate({ cond: v, else: join.id, kind: "branch", loc, then: right.id });
  else if (node.operator === "||") L.cfg.terminate({ cond: v, else: right.id, kind: "branch", loc, then: join.id });
  else L.cfg.terminate({ cond: binary("==", v, lit(null)), else: join.id, kind: "branch", loc, then: right.id });
  L.cfg.switchTo(right);
  assignResult(L, result, node.right);
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  L.cfg.switchTo(join);
  return ref(result);
}

/** `c ? await f() : g` becomes a branch, so only the taken side runs. */
export function lowerBranchingCond(L: Lowerer, node: t.ConditionalExpression): Expr {
  const loc = L.loc(node);
  const test = lowerExpr(L, node.test);
  const result = L.temp("t");
  const then = L.cfg.newBlock();
  const otherwise = L.cfg.newBlock();
  const join = L.cfg.newBlock();
  L.cfg.terminate({ cond: test, else: otherwise.id, kind: "branch", loc, then: then.id });
  for (const [block, expr] of [[then, node.consequent], [otherwise, node.alternate]] as const) {
    L.cfg.switchTo(block);
    assignResult(L, result, expr);
    L.cfg.terminate({ kind: "jump", loc, to: join.id });
  }
  L.cfg.switchTo(join);
  return ref(result);
}
