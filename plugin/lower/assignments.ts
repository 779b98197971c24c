import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { BinaryOps } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { containsAwait, lowerExprs, type Operand } from "./anf.ts";
import { array, binary, lit, member, ref } from "./ir.ts";
import { lowerExpr, lowerItems } from "./expressions.ts";
import { lowerAwait } from "./awaits.ts";
import { dispatch, dispatchOf } from "./dispatch.ts";
import { isArrayFnCall, lowerArrayFn, lowerValue } from "./array-fns.ts";
import { assignPattern } from "./patterns.ts";
import { LOGICAL_ASSIGN, memberChain, pushedArray } from "../check/forms.ts";

type BinaryOp = (typeof BinaryOps)[number];

/**
 * Lowers `init` into the variable `target`. This is the one position where an
 * un-awaited action call (binding a handle) and `xs.map(cb)` may stand.
 */
export function lowerInto(L: Lowerer, target: string, targetNode: t.Node, init: t.Node): void {
  const e = unwrapTs(init as t.Expression);
  const loc = L.loc(e);
  const ac = dispatchOf(L, e);
  if (ac === "invalid") return;
  if (ac) {
    dispatch(L, ac, target);
    return;
  }
  if (isArrayFnCall(e)) {
    L.assign(target, lowerArrayFn(L, e), loc);
    return;
  }
  const value = e.type === "AwaitExpression" ? lowerAwait(L, e, "value", target) : lowerExpr(L, e);
  if (value.kind !== "var" || value.name !== target) L.assign(target, value, loc);
}

/** The local variable a plain identifier target names (the check phase reported any other target). */
export function assignableLocal(L: Lowerer, id: t.Identifier): string | null {
  return L.scopes.lookup(id.name)?.irName ?? null;
}

interface MemberPath {
  root: string;
  /** Property nodes from the root outwards; a non-computed name is an operand lowering to its literal. */
  steps: Array<t.Node | Operand<Expr>>;
}

/** `a.b[c].d` as root `a` and the path [b, c, d]; null when the root is not a local (reported by the check phase). */
function memberPath(L: Lowerer, target: t.MemberExpression): MemberPath | null {
  const chain = memberChain(target);
  if (chain?.root.type !== "Identifier") return null;
  const root = assignableLocal(L, chain.root);
  if (!root) return null;
  const steps = chain.links.map((m): MemberPath["steps"][number] => {
    const p = m.property;
    return m.computed ? p : { node: null, lower: () => lit((p as t.Identifier).name) };
  });
  return { root, steps };
}

/** `a.b[i] = value` with the path evaluated before the value, as JavaScript does. */
export function assignToMember(L: Lowerer, target: t.MemberExpression, value: t.Node | Operand<Expr>, combine?: (old: Expr, v: Expr) => Expr): void {
  const path = memberPath(L, target);
  if (!path) return;
  const loc = L.loc(target);
  const lowered = lowerExprs(L, [...path.steps, value]);
  const steps = lowered.slice(0, -1);
  let v = lowered[lowered.length - 1];
  if (combine) v = combine(steps.reduce<Expr>((obj, key) => member(obj, key), ref(path.root)), v);
  L.assign(path.root, v, loc, steps);
}

/** `x = v`, `x += v`, `x ??= v`, `a.b = v`, `[a, b] = v` as statements. */
export function lowerAssignment(L: Lowerer, node: t.AssignmentExpression): void {
  const loc = L.loc(node);
  const left = node.left;
  const op = node.operator;
  if (op === "=") {
    if (left.type === "Identifier") {
      const target = assignableLocal(L, left);
      if (target) lowerInto(L, target, left, node.right);
    } else if (left.type === "MemberExpression") {
      assignToMember(L, left, node.right);
    } else {
      assignPattern(L, left, lowerValue(L, node.right), (id) => assignableLocal(L, id));
    }
    return;
  }
  if (left.type !== "Identifier" && left.type !== "MemberExpression") return;
  if (LOGICAL_ASSIGN.has(op) && containsAwait(L, node.right)) {
    lowerLogicalAssign(L, node, left);
    return;
  }
  const combine = (old: Expr, v: Expr): Expr =>
    LOGICAL_ASSIGN.has(op)
      ? { kind: "logical", left: old, op: op.slice(0, -1) as "&&" | "||" | "??", right: v }
      : binary(op.slice(0, -1) as BinaryOp, old, v);
  if (left.type === "MemberExpression") {
    assignToMember(L, left, node.right, combine);
    return;
  }
  const target = assignableLocal(L, left);
  if (!target) return;
  L.assign(target, combine(ref(target), lowerExpr(L, node.right)), loc);
}

/** `x ||= await f()`: the right side (and its actions) only runs when the assignment happens. */
function lowerLogicalAssign(L: Lowerer, node: t.AssignmentExpression, left: t.Identifier | t.MemberExpression): void {
  const loc = L.loc(node);
  const current = lowerExpr(L, left);
  const test =
    node.operator === "&&=" ? current
    : node.operator === "||=" ? ({ arg: current, kind: "unary", op: "!" } as Expr)
    : binary("==", current, lit(null));
  const then = L.cfg.newBlock();
  const join = L.cfg.newBlock();
  L.cfg.terminate({ cond: test, else: join.id, kind: "branch", loc, then: then.id });
  L.cfg.switchTo(then);
  if (left.type === "MemberExpression") assignToMember(L, left, node.right);
  else {
    const target = assignableLocal(L, left);
    if (target) lowerInto(L, target, left, node.right);
  }
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  L.cfg.switchTo(join);
}

/** `i++` / `--a.b` as a statement. */
export function lowerUpdate(L: Lowerer, node: t.UpdateExpression): void {
  const loc = L.loc(node);
  const op = node.operator === "++" ? "+" : "-";
  const combine = (old: Expr, one: Expr): Expr => binary(op, old, one);
  const arg = node.argument;
  if (arg.type === "MemberExpression") {
    assignToMember(L, arg, { node: null, lower: () => lit(1) }, combine);
  } else if (arg.type === "Identifier") {
    const target = assignableLocal(L, arg);
    if (!target) return;
    L.assign(target, combine(ref(target), lit(1)), loc);
  }
}

/** `xs.push(a, b)` / `o.list.push(x)` on a local array, as a statement: the `push` instruction. */
export function lowerPush(L: Lowerer, call: t.CallExpression): boolean {
  const object = pushedArray(call);
  if (!object) return false;
  const loc = L.loc(call);
  if (object.type === "Identifier") {
    const target = assignableLocal(L, object);
    if (!target) return true;
    L.emit({ items: array(lowerItems(L, call.arguments)), kind: "push", loc, path: [], target });
    return true;
  }
  if (object.type !== "MemberExpression") return false;
  const path = memberPath(L, object);
  if (!path) return true;
  const lowered = lowerExprs(L, [...path.steps, { node: call, lower: () => array(lowerItems(L, call.arguments)) }]);
  L.emit({ items: lowered[lowered.length - 1], kind: "push", loc, path: lowered.slice(0, -1), target: path.root });
  return true;
}
