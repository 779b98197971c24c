import type * as t from "@babel/types";
import { BuiltinConstants } from "../../ir-schema/builtins.ts";
import { unwrapTs } from "./classify.ts";

/** What a module-level `const` may hold for a workflow body to read it: a JavaScript primitive (no BigInt, no Symbol). */
export type ConstValue = string | number | boolean | null | undefined;

type UnaryOp = "-" | "+" | "!" | "~" | "typeof" | "void";
type BinaryOp =
  | "+" | "-" | "*" | "/" | "%" | "**" | "==" | "!=" | "===" | "!==" | "<" | "<=" | ">" | ">="
  | "&" | "|" | "^" | "<<" | ">>" | ">>>";

/**
 * A module-level `const` initializer made of constants: literals, operators,
 * templates, ternaries and references to other module-level bindings (`LIMIT`,
 * `Enum.Member`, `ns.CONST`), which only the module graph can resolve, so the tree
 * is folded there. It holds no syntax nodes: a cached module summary outlives its
 * syntax tree.
 */
export type ConstTree =
  | { k: "value"; value: ConstValue }
  | { k: "ref"; name: string; member: string | null }
  | { k: "unary"; op: UnaryOp; arg: ConstTree }
  | { k: "binary"; op: BinaryOp; left: ConstTree; right: ConstTree }
  | { k: "logical"; op: "&&" | "||" | "??"; left: ConstTree; right: ConstTree }
  | { k: "cond"; test: ConstTree; then: ConstTree; else: ConstTree }
  | { k: "template"; quasis: string[]; exprs: ConstTree[] };

const UNARY: ReadonlySet<string> = new Set<UnaryOp>(["-", "+", "!", "~", "typeof", "void"]);
const BINARY: ReadonlySet<string> = new Set<BinaryOp>([
  "+", "-", "*", "/", "%", "**", "==", "!=", "===", "!==", "<", "<=", ">", ">=", "&", "|", "^", "<<", ">>", ">>>",
]);
const GLOBAL_CONSTANTS: ReadonlyMap<string, ConstValue> = new Map<string, ConstValue>([
  ["undefined", undefined], ["NaN", NaN], ["Infinity", Infinity],
]);
const BUILTIN_CONSTANTS: Readonly<Record<string, number>> = BuiltinConstants;

/** The initializer as a tree to fold, or why it cannot be a constant (a phrase: "an object literal"). */
export function constTree(input: t.Expression): ConstTree | { why: string } {
  const e = unwrapTs(input);
  switch (e.type) {
    case "StringLiteral":
    case "NumericLiteral":
    case "BooleanLiteral":
      return { k: "value", value: e.value };
    case "NullLiteral":
      return { k: "value", value: null };
    case "Identifier":
      return GLOBAL_CONSTANTS.has(e.name) ? { k: "value", value: GLOBAL_CONSTANTS.get(e.name) } : { k: "ref", name: e.name, member: null };
    case "MemberExpression": {
      const object = unwrapTs(e.object as t.Expression);
      const member = !e.computed && e.property.type === "Identifier" ? e.property.name
        : e.computed && e.property.type === "StringLiteral" ? e.property.value : null;
      if (object.type !== "Identifier" || member === null) return { why: "a property of a computed value" };
      const builtin = `${object.name}.${member}`;
      if (Object.prototype.hasOwnProperty.call(BUILTIN_CONSTANTS, builtin)) return { k: "value", value: BUILTIN_CONSTANTS[builtin] };
      return { k: "ref", name: object.name, member };
    }
    case "TemplateLiteral": {
      const exprs = all(e.expressions as t.Expression[]);
      if ("why" in exprs) return exprs;
      if (e.quasis.some((q) => q.value.cooked == null)) return { why: "a template with an invalid escape" };
      return { k: "template", quasis: e.quasis.map((q) => q.value.cooked!), exprs: exprs.trees };
    }
    case "UnaryExpression": {
      if (!UNARY.has(e.operator)) return { why: `the \`${e.operator}\` operator` };
      const arg = constTree(e.argument);
      return "why" in arg ? arg : { k: "unary", op: e.operator as UnaryOp, arg };
    }
    case "BinaryExpression": {
      if (!BINARY.has(e.operator) || e.left.type === "PrivateName") return { why: `the \`${e.operator}\` operator` };
      const parts = all([e.left, e.right]);
      return "why" in parts ? parts : { k: "binary", op: e.operator as BinaryOp, left: parts.trees[0], right: parts.trees[1] };
    }
    case "LogicalExpression": {
      const parts = all([e.left, e.right]);
      return "why" in parts ? parts : { k: "logical", op: e.operator, left: parts.trees[0], right: parts.trees[1] };
    }
    case "ConditionalExpression": {
      const parts = all([e.test, e.consequent, e.alternate]);
      return "why" in parts ? parts : { k: "cond", test: parts.trees[0], then: parts.trees[1], else: parts.trees[2] };
    }
    default:
      return { why: describeNode(e) };
  }
}

function all(es: t.Expression[]): { trees: ConstTree[] } | { why: string } {
  const trees: ConstTree[] = [];
  for (const e of es) {
    const tree = constTree(e);
    if ("why" in tree) return tree;
    trees.push(tree);
  }
  return { trees };
}

function describeNode(e: t.Expression): string {
  switch (e.type) {
    case "ObjectExpression":
      return "an object literal";
    case "ArrayExpression":
      return "an array literal";
    case "CallExpression":
    case "OptionalCallExpression":
      return "a function call";
    case "NewExpression":
      return "a `new` expression";
    case "ArrowFunctionExpression":
    case "FunctionExpression":
      return "a function";
    case "ClassExpression":
      return "a class";
    case "RegExpLiteral":
      return "a regular expression";
    case "BigIntLiteral":
      return "a BigInt";
    case "AwaitExpression":
      return "an `await`";
    default:
      return "not a constant expression";
  }
}

/**
 * Folds a tree as JavaScript evaluates it, with `valueOf` giving each reference's
 * value or why it has none. Every operand is a primitive, so applying the operator
 * itself is exact and cannot run user code.
 */
export function foldConst(tree: ConstTree, valueOf: (name: string, member: string | null) => { value: ConstValue } | { why: string }): { value: ConstValue } | { why: string } {
  const fold = (node: ConstTree): ConstValue => {
    switch (node.k) {
      case "value":
        return node.value;
      case "ref": {
        const r = valueOf(node.name, node.member);
        if ("why" in r) throw new NotConstant(r.why);
        return r.value;
      }
      case "unary":
        return unary(node.op, fold(node.arg));
      case "binary": {
        const left = fold(node.left);
        return binary(node.op, left, fold(node.right));
      }
      case "logical": {
        const left = fold(node.left);
        if (node.op === "&&") return left ? fold(node.right) : left;
        if (node.op === "||") return left ? left : fold(node.right);
        return left ?? fold(node.right);
      }
      case "cond":
        return fold(node.test) ? fold(node.then) : fold(node.else);
      case "template":
        return node.quasis.reduce((out, q, i) => out + (i === 0 ? "" : String(fold(node.exprs[i - 1]))) + q, "");
    }
  };
  try {
    return { value: fold(tree) };
  } catch (e) {
    if (e instanceof NotConstant) return { why: e.message };
    throw e;
  }
}

class NotConstant extends Error {}

/* eslint-disable @typescript-eslint/no-explicit-any -- the operators coerce primitives exactly as JavaScript does */
function unary(op: UnaryOp, v: any): ConstValue {
  switch (op) {
    case "-": return -v;
    case "+": return +v;
    case "!": return !v;
    case "~": return ~v;
    case "typeof": return typeof v;
    case "void": return undefined;
  }
}

function binary(op: BinaryOp, a: any, b: any): ConstValue {
  switch (op) {
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return a / b;
    case "%": return a % b;
    case "**": return a ** b;
    case "==": return a == b;
    case "!=": return a != b;
    case "===": return a === b;
    case "!==": return a !== b;
    case "<": return a < b;
    case "<=": return a <= b;
    case ">": return a > b;
    case ">=": return a >= b;
    case "&": return a & b;
    case "|": return a | b;
    case "^": return a ^ b;
    case "<<": return a << b;
    case ">>": return a >> b;
    case ">>>": return a >>> b;
  }
}
