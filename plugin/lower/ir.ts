/** Constructors for IR nodes; every node carries the `loc` of the source it came from. */
import type { Expr, Item } from "../../ir-schema/index.ts";

type Of<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

export const lit = (value: unknown, loc: string): Expr => ({ kind: "lit", value, loc });
export const undef = (loc: string): Expr => ({ kind: "global", name: "undefined", loc });
export const ref = (name: string, loc: string): Expr => ({ kind: "var", name, loc });
export const member = (object: Expr, property: Expr, loc: string, optional = false): Expr => ({
  kind: "member", object, property, optional, loc,
});
export const prop = (object: Expr, name: string | number, loc: string): Expr => member(object, lit(name, loc), loc);
export const binary = (op: Of<"binary">["op"], left: Expr, right: Expr, loc: string): Expr => ({
  kind: "binary", op, left, right, loc,
});
export const unary = (op: Of<"unary">["op"], arg: Expr, loc: string): Expr => ({ kind: "unary", op, arg, loc });
export const cond = (test: Expr, then: Expr, otherwise: Expr, loc: string): Expr => ({
  kind: "cond", test, then, else: otherwise, loc,
});
export const array = (items: Item[], loc: string): Expr => ({ kind: "array", items, loc });
export const builtin = (name: string, args: Item[], loc: string): Expr => ({ kind: "builtin", name, args, loc });
export const method = (object: Expr, name: string, args: Item[], loc: string, optional = false): Expr => ({
  kind: "method", object, name, args, optional, loc,
});
export const plus1 = (name: string, loc: string): Expr => binary("+", ref(name, loc), lit(1, loc), loc);
