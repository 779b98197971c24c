/** Static types of the IR; see the glossary at the top of `schema.ts`. */
import type { Static } from "@sinclair/typebox";
import { IrModule } from "./schema.ts";

const T = {
  Expr: IrModule.Import("Expr"),
  Item: IrModule.Import("Item"),
  Prop: IrModule.Import("Prop"),
  Spread: IrModule.Import("Spread"),
  Instr: IrModule.Import("Instr"),
  Term: IrModule.Import("Term"),
  Block: IrModule.Import("Block"),
  Handler: IrModule.Import("Handler"),
  Program: IrModule.Import("Program"),
  Artifact: IrModule.Import("Artifact"),
};

export type Expr = Static<typeof T.Expr>;
export type Item = Static<typeof T.Item>;
export type Prop = Static<typeof T.Prop>;
export type Spread = Static<typeof T.Spread>;
export type Instr = Static<typeof T.Instr>;
export type Term = Static<typeof T.Term>;
export type Block = Static<typeof T.Block>;
export type Handler = Static<typeof T.Handler>;
export type Program = Static<typeof T.Program>;
export type Artifact = Static<typeof T.Artifact>;

export type ExprKind = Expr["kind"];
export type InstrKind = Instr["kind"];
export type TermKind = Term["kind"];
export type NodeOf<U extends { kind: string }, K extends U["kind"]> = Extract<U, { kind: K }>;

/**
 * A visitor has one method per node kind, so adding a kind to the schema is a type
 * error in every visitor until it handles the new kind.
 */
export type ExprVisitor<R, C = void> = { [K in ExprKind]: (node: NodeOf<Expr, K>, ctx: C) => R };
export type InstrVisitor<R, C = void> = { [K in InstrKind]: (node: NodeOf<Instr, K>, ctx: C) => R };
export type TermVisitor<R, C = void> = { [K in TermKind]: (node: NodeOf<Term, K>, ctx: C) => R };

export function visit<U extends { kind: string }, R, C>(
  visitor: { [K in U["kind"]]: (node: Extract<U, { kind: K }>, ctx: C) => R },
  node: U,
  ctx: C,
): R {
  const fn = visitor[node.kind as U["kind"]] as (n: U, c: C) => R;
  return fn(node, ctx);
}

/** A JSON value: everything that may live in interpreter state or cross the database. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
