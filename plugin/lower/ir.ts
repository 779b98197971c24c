/**
 * Constructors for IR expressions. Expressions carry no `loc`: the runtime
 * reports positions of instructions and terminators, and every expression sits in
 * one of those; a loc per expression made up about a third of an artifact, which
 * every handle embeds in the bundle.
 */
import type { Expr, Item } from "../../ir-schema/index.ts";

type Of<K extends Expr["kind"]> = Extract<Expr, { kind: K }>;

export const lit = (value: unknown): Expr => ({ kind: "lit", value });
export const undef = (): Expr => ({ kind: "global", name: "undefined" });
export const ref = (name: string): Expr => ({ kind: "var", name });
export const member = (object: Expr, property: Expr, optional = false): Expr => ({ kind: "member", object, optional, property });
export const prop = (object: Expr, name: string | number): Expr => member(object, lit(name));
export const binary = (op: Of<"binary">["op"], left: Expr, right: Expr): Expr => ({ kind: "binary", left, op, right });
export const unary = (op: Of<"unary">["op"], arg: Expr): Expr => ({ arg, kind: "unary", op });
export const cond = (test: Expr, then: Expr, otherwise: Expr): Expr => ({ else: otherwise, kind: "cond", test, then });
export const array = (items: Item[]): Expr => ({ items, kind: "array" });
export const builtin = (name: string, args: Item[]): Expr => ({ args, kind: "builtin", name });
export const method = (object: Expr, name: string, args: Item[], optional = false): Expr => ({
  args, kind: "method", name, object, optional,
});
/**
 * Ends an optional chain: `(a?.b).c` reads `.c` of whatever `a?.b` gave, undefined
 * included, where `a?.b.c` would short-circuit. The interpreter propagates a
 * short-circuit only through member and method objects, so any other node around
 * the inner chain ends it; `true && e` is the one that does not change `e`.
 */
export const endChain = (e: Expr): Expr =>
  e.kind === "member" || e.kind === "method" ? { kind: "logical", left: lit(true), op: "&&", right: e } : e;
/** A folded constant: literals hold JSON, so undefined, NaN, ±Infinity and -0 are spelled as expressions. */
export const constant = (value: string | number | boolean | null | undefined): Expr => {
  if (value === undefined) return undef();
  if (typeof value !== "number" || (Number.isFinite(value) && !Object.is(value, -0))) return lit(value);
  if (Number.isNaN(value)) return { kind: "global", name: "NaN" };
  if (Object.is(value, -0)) return unary("-", lit(0));
  return value > 0 ? { kind: "global", name: "Infinity" } : unary("-", { kind: "global", name: "Infinity" });
};
export const plus1 = (name: string): Expr => binary("+", ref(name), lit(1));
