/** Constructors for IR nodes; every node carries the `loc` of the source it came from. */
import type { Expr, Item } from "../../ir-schema/index.ts";

type Of<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

export const lit = (value: unknown, loc: string): Expr => ({ kind: "lit", loc, value });
export const undef = (loc: string): Expr => ({ kind: "global", loc, name: "undefined" });
export const ref = (name: string, loc: string): Expr => ({ kind: "var", loc, name });
export const member = (object: Expr, property: Expr, loc: string, optional = false): Expr => ({
  kind: "member", loc, object, optional, property,
});
export const prop = (object: Expr, name: string | number, loc: string): Expr => member(object, lit(name, loc), loc);
export const binary = (op: Of<"binary">["op"], left: Expr, right: Expr, loc: string): Expr => ({
  kind: "binary", left, loc, op, right,
});
export const unary = (op: Of<"unary">["op"], arg: Expr, loc: string): Expr => ({ arg, kind: "unary", loc, op });
export const cond = (test: Expr, then: Expr, otherwise: Expr, loc: string): Expr => ({
  else: otherwise, kind: "cond", loc, test, then,
});
export const array = (items: Item[], loc: string): Expr => ({ items, kind: "array", loc });
export const builtin = (name: string, args: Item[], loc: string): Expr => ({ args, kind: "builtin", loc, name });
export const method = (object: Expr, name: string, args: Item[], loc: string, optional = false): Expr => ({
  args, kind: "method", loc, name, object, optional,
});
export const plus1 = (name: string, loc: string): Expr => binary("+", ref(name, loc), lit(1, loc), loc);
