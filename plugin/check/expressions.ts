import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import { BinaryOps } from "../../ir-schema/vocabulary.ts";
import type { Checker } from "./checker.ts";
import { localBinding, staticRef } from "./static-refs.ts";
import { errorClassOf } from "./error-classes.ts";
import { checkStaticValue } from "./values.ts";
import { checkCall, checkNew } from "./call-expressions.ts";
import { checkAwait } from "./awaits.ts";

const BINARY: ReadonlySet<string> = new Set(BinaryOps);

/** Checks an expression in an ordinary value position. */
export function checkExpr(C: Checker, input: t.Node): void {
  const node = unwrapTs(input as t.Expression);
  switch (node.type) {
    case "NumericLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
      return;
    case "Identifier": {
      const local = localBinding(C, node);
      if (local) C.valueUses.push({ irName: local.irName, node });
      else checkStaticValue(C, node, staticRef(C, node) ?? { kind: "global", dotted: node.name });
      return;
    }
    case "ThisExpression":
    case "MemberExpression":
    case "OptionalMemberExpression":
      return checkMember(C, node);
    case "TemplateLiteral":
      for (const e of node.expressions) checkExpr(C, e);
      return;
    case "ArrayExpression":
      return checkItems(C, node.elements);
    case "ObjectExpression":
      for (const p of node.properties) {
        if (p.type === "SpreadElement") checkExpr(C, p.argument);
        else if (p.type === "ObjectMethod") C.report(p.kind === "method" ? "objectMethod" : p.kind === "get" ? "objectGetter" : "objectSetter", p);
        else {
          if (p.computed) checkExpr(C, p.key);
          checkExpr(C, p.value);
        }
      }
      return;
    case "UnaryExpression":
      if (node.operator === "delete") C.report("deleteOperator", node);
      else if (node.operator === "throw") C.report("throwExpression", node);
      else checkExpr(C, node.argument);
      return;
    case "BinaryExpression":
      if (node.operator === "instanceof") return checkInstanceof(C, node);
      if (node.left.type === "PrivateName") C.report("privateIn", node);
      else if (!BINARY.has(node.operator)) C.report("unsupportedOperator", node, { operator: node.operator });
      else {
        checkExpr(C, node.left);
        checkExpr(C, node.right);
      }
      return;
    case "LogicalExpression":
      checkExpr(C, node.left);
      checkExpr(C, node.right);
      return;
    case "ConditionalExpression":
      checkExpr(C, node.test);
      checkExpr(C, node.consequent);
      checkExpr(C, node.alternate);
      return;
    case "AwaitExpression":
      return checkAwait(C, node, "value");
    case "CallExpression":
    case "OptionalCallExpression":
      return checkCall(C, node);
    case "NewExpression":
      return checkNew(C, node);
    case "AssignmentExpression":
    case "UpdateExpression":
      C.report("assignInExpression", node, { code: C.text(node) });
      return;
    case "ArrowFunctionExpression":
      C.report("arrowFunction", node);
      return;
    case "FunctionExpression":
      C.report(node.generator ? "generatorFunction" : "functionExpression", node);
      return;
    case "YieldExpression":
      C.report("yieldExpression", node);
      return;
    case "ClassExpression":
      C.report("classExpression", node);
      return;
    case "SequenceExpression":
      C.report("commaOperator", node);
      return;
    case "TaggedTemplateExpression":
      C.report("taggedTemplate", node, { tag: C.text(node.tag) });
      return;
    case "RegExpLiteral":
      C.report("regexLiteral", node);
      return;
    case "BigIntLiteral":
      C.report("bigintLiteral", node);
      return;
    case "Import":
    case "ImportExpression":
      C.report("dynamicImport", node);
      return;
    default:
      C.report("unsupportedExpression", node, { expression: C.text(node), type: node.type });
  }
}

/** Array elements / call arguments, with spreads and holes. */
export function checkItems(C: Checker, elements: ReadonlyArray<t.Node | null>): void {
  for (const el of elements) {
    if (!el) continue;
    checkExpr(C, el.type === "SpreadElement" ? el.argument : el);
  }
}

function checkMember(C: Checker, node: t.MemberExpression | t.OptionalMemberExpression | t.ThisExpression): void {
  const r = staticRef(C, node);
  if (r) return checkStaticValue(C, node, r);
  if (node.type === "ThisExpression") return checkStaticValue(C, node, { kind: "this", dotted: "this" });
  if (node.property.type === "PrivateName") {
    C.report("privateField", node);
    return;
  }
  checkExpr(C, node.object);
  if (node.computed) checkExpr(C, node.property);
}

function checkInstanceof(C: Checker, node: t.BinaryExpression): void {
  const found = errorClassOf(C, node.right);
  checkExpr(C, node.left);
  if (!found) C.report("instanceofNonError", node.right, { right: C.text(node.right) });
}
