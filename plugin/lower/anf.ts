import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import { ref } from "./ir.ts";
import { lowerExpr } from "./expressions.ts";

/** Whether evaluating `node` may suspend (the check phase's AwaitIndex, with its answers so far). */
export function containsAwait(L: Lowerer, node: t.Node | null | undefined): boolean {
  return L.env.table.awaits.contains(node);
}

/**
 * Expressions whose evaluation can neither throw nor observe state that a later
 * operand could change: they may stay in place while later operands suspend.
 * (Assignments inside expressions are rejected, so a variable read is stable.)
 */
export function isStable(e: Expr): boolean {
  switch (e.kind) {
    case "lit":
    case "global":
    case "var":
      return true;
    case "array":
      return e.items.every((i) => i.kind !== "spread" && isStable(i));
    default:
      return false;
  }
}

/** Stores `e` in a fresh temporary (an assign at `loc`) unless it is already stable. */
export function spill(L: Lowerer, e: Expr, loc: string): Expr {
  if (isStable(e)) return e;
  const tmp = L.temp("t");
  L.assign(tmp, e, loc);
  return ref(tmp);
}

/** An operand that is not simply a node to lower: `node` (null when nothing in it can suspend) and how to lower it. */
export interface Operand<T> {
  node: t.Node | null;
  lower: () => T;
}

/**
 * An operand as lowerOperands takes it: a node, lowered by the caller's
 * `lowerNode`, or an Operand for anything else. Plain nodes need no closure per
 * operand (under tsx, every closure assigned to a property also costs a
 * defineProperty call for its name).
 */
export type OperandOf<T, N extends t.Node = t.Node> = N | null | Operand<T>;

function isOperand<T, N extends t.Node>(o: OperandOf<T, N>): o is Operand<T> {
  return o !== null && !("type" in o);
}

/**
 * Lowers operands left to right, as JavaScript evaluates them. When a later
 * operand suspends, every earlier operand with observable evaluation is spilled to
 * a temporary first, so it is evaluated (and may throw) before the later
 * operand's actions are dispatched.
 */
export function lowerOperands<T, N extends t.Node = t.Node>(
  L: Lowerer,
  operands: ReadonlyArray<OperandOf<T, N>>,
  lowerNode: (node: N | null) => T,
  exprOf: (v: T) => Expr | null,
  rewrap: (v: T, e: Expr) => T,
): T[] {
  let last = -1;
  for (let i = 0; i < operands.length; i++) {
    const o = operands[i];
    if (containsAwait(L, isOperand(o) ? o.node : o)) last = i;
  }
  return operands.map((o, i) => {
    const v = isOperand(o) ? o.lower() : lowerNode(o);
    const e = exprOf(v);
    if (i >= last || e === null || isStable(e)) return v;
    // The spill is located at its operand, or else at the operand that suspends (which always has a node).
    const at = isOperand(o) ? o.node : o;
    const suspending = operands[last]!;
    return rewrap(v, spill(L, e, L.loc(at ?? (isOperand(suspending) ? suspending.node : suspending))));
  });
}

/** lowerOperands for plain expressions; a node is lowered with lowerExpr. */
export function lowerExprs(L: Lowerer, operands: ReadonlyArray<t.Node | Operand<Expr>>): Expr[] {
  return lowerOperands<Expr>(L, operands, (node) => lowerExpr(L, node!), (e) => e, (_, e) => e);
}
