import type * as t from "@babel/types";
import type { Expr, Item } from "../../ir-schema/index.ts";
import { BinaryOps } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { containsAwait, lowerExprs, lowerOperands, type Operand } from "./anf.ts";
import { array, binary, cond, endChain, lit, ref, undef } from "./ir.ts";
import { localBinding, staticRef } from "../check/static-refs.ts";
import { staticValue } from "./values.ts";
import { lowerCall, lowerNew } from "./calls.ts";
import { lowerAwait } from "./awaits.ts";
import { lowerBranchingCond, lowerShortCircuit } from "./short-circuit.ts";
import { lowerInstanceof } from "./instanceof.ts";
import { propertyKeyName } from "../check/forms.ts";

type BinaryOp = (typeof BinaryOps)[number];
const BINARY: ReadonlySet<string> = new Set(BinaryOps);

/**
 * Lowers an expression to a pure IR expression, emitting the instructions its
 * awaits need (ANF). The check phase rejected what a workflow body may not
 * contain; lowering is total all the same, and stands a `null` literal for it.
 */
export function lowerExpr(L: Lowerer, input: t.Node): Expr {
  const node = unwrapTs(input as t.Expression);
  switch (node.type) {
    case "NumericLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
      return lit(node.value);
    case "NullLiteral":
      return lit(null);
    case "Identifier":
      return lowerIdentifier(L, node);
    case "ThisExpression":
    case "MemberExpression":
    case "OptionalMemberExpression":
      return lowerMember(L, node);
    case "TemplateLiteral": {
      const exprs = lowerExprs(L, node.expressions);
      return { exprs, kind: "template", quasis: node.quasis.map((q) => q.value.cooked ?? q.value.raw) };
    }
    case "ArrayExpression":
      return array(lowerItems(L, node.elements));
    case "ObjectExpression":
      return lowerObject(L, node);
    case "UnaryExpression":
      if (node.operator === "delete" || node.operator === "throw") return lit(null);
      return { arg: lowerExpr(L, node.argument), kind: "unary", op: node.operator };
    case "BinaryExpression":
      return lowerBinary(L, node);
    case "LogicalExpression": {
      if (containsAwait(L, node.right)) return lowerShortCircuit(L, node);
      const { left, right } = pair(L, node.left, node.right);
      return { kind: "logical", left, op: node.operator, right };
    }
    case "ConditionalExpression": {
      if (containsAwait(L, node.consequent) || containsAwait(L, node.alternate)) return lowerBranchingCond(L, node);
      const test = lowerExpr(L, node.test);
      return cond(test, lowerExpr(L, node.consequent), lowerExpr(L, node.alternate));
    }
    case "AwaitExpression":
      return lowerAwait(L, node, "value", null);
    case "CallExpression":
    case "OptionalCallExpression":
      return lowerCall(L, node);
    case "NewExpression":
      return lowerNew(L, node);
    default:
      return lit(null);
  }
}

function pair(L: Lowerer, left: t.Node, right: t.Node): { left: Expr; right: Expr } {
  const [l, r] = lowerExprs(L, [left, right]);
  return { left: l, right: r };
}

function lowerIdentifier(L: Lowerer, node: t.Identifier): Expr {
  const local = localBinding(L, node);
  if (local) return ref(local.irName);
  return staticValue(L, node, staticRef(L, node) ?? { kind: "global", dotted: node.name });
}

function lowerMember(L: Lowerer, node: t.MemberExpression | t.OptionalMemberExpression | t.ThisExpression): Expr {
  const r = staticRef(L, node);
  if (r) return staticValue(L, node, r);
  if (node.type === "ThisExpression" || node.property.type === "PrivateName") return lit(null);
  // `a?.b.c` is one chain in Babel, every link an OptionalMemberExpression; only
  // the links written `?.` have `optional` set. Once one short-circuits, the
  // interpreter skips the rest of the chain.
  const optional = node.type === "OptionalMemberExpression" && node.optional;
  const property = node.property;
  if (!node.computed) {
    const object = chainObject(node, lowerExpr(L, node.object));
    return { kind: "member", object, optional, property: lit((property as t.Identifier).name) };
  }
  const { left, right } = pair(L, node.object, property);
  return { kind: "member", object: chainObject(node, left), optional, property: right };
}

/** Babel's shape for a parenthesized chain, `(a?.b).c`: a plain member or call whose object is an optional chain. */
export function isChainBoundary(outer: t.MemberExpression | t.OptionalMemberExpression, object: t.Expression): boolean {
  const inner = unwrapTs(object);
  return outer.type === "MemberExpression" && (inner.type === "OptionalMemberExpression" || inner.type === "OptionalCallExpression");
}

function chainObject(node: t.MemberExpression | t.OptionalMemberExpression, object: Expr): Expr {
  return isChainBoundary(node, node.object) ? endChain(object) : object;
}

function lowerBinary(L: Lowerer, node: t.BinaryExpression): Expr {
  if (node.operator === "instanceof") return lowerInstanceof(L, node);
  if (node.left.type === "PrivateName" || !BINARY.has(node.operator)) return lit(null);
  const { left, right } = pair(L, node.left, node.right);
  return binary(node.operator as BinaryOp, left, right);
}

/** Array elements / call arguments, with spreads and holes, left to right. */
export function lowerItems(L: Lowerer, elements: ReadonlyArray<t.Node | null>): Item[] {
  return lowerOperands<Item>(
    L, elements,
    (el) => {
      if (!el) return undef();
      if (el.type === "SpreadElement") return { kind: "spread", value: lowerExpr(L, el.argument) };
      return lowerExpr(L, el);
    },
    (i) => (i.kind === "spread" ? i.value : i),
    (i, e) => (i.kind === "spread" ? { ...i, value: e } : e),
  );
}

function lowerObject(L: Lowerer, node: t.ObjectExpression): Expr {
  // Keys and values are operands in source order: `{ [k]: await f() }` evaluates k first.
  const operands: Array<t.Node | Operand<Expr>> = [];
  const shape: Array<"spread" | "prop"> = [];
  for (const p of node.properties) {
    if (p.type === "SpreadElement") {
      operands.push(p.argument);
      shape.push("spread");
    } else if (p.type !== "ObjectMethod") {
      const key = p.key;
      operands.push(p.computed ? key : { node: null, lower: () => lit(propertyKeyName(key) ?? "") });
      operands.push(p.value);
      shape.push("prop");
    }
  }
  const values = lowerExprs(L, operands);
  const props: Array<Extract<Expr, { kind: "object" }>["props"][number]> = [];
  let i = 0;
  for (const s of shape) {
    if (s === "spread") props.push({ kind: "spread", value: values[i++] });
    else {
      props.push({ key: values[i], kind: "prop", value: values[i + 1] });
      i += 2;
    }
  }
  return { kind: "object", props };
}

