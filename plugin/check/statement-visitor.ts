import type * as t from "@babel/types";
import type { Scopes } from "./scopes.ts";
import { hoistDeclarations } from "./forms.ts";

/*
 * The walk over a workflow body's statements that the check phase and lowering
 * share: which statement kinds a body is made of, how blocks open scopes (with
 * their `let`/`const` hoisted, as JavaScript scopes them) and how labels gather
 * onto the loop, switch or block they name. Each phase supplies what it does with
 * each kind; the check phase reports, lowering emits.
 */

/** The statement kinds a workflow body may contain (besides blocks, labels and type declarations, which the walk handles). */
type Visited =
  | "ExpressionStatement" | "VariableDeclaration" | "IfStatement" | "ReturnStatement"
  | "ForOfStatement" | "ForInStatement" | "ForStatement" | "WhileStatement" | "DoWhileStatement"
  | "BreakStatement" | "ContinueStatement" | "TryStatement" | "ThrowStatement" | "SwitchStatement";

/**
 * What a phase does with each statement kind. A kind added to `Visited` (and to
 * visitStatement's switch) is a type error in every visitor until it handles it.
 * `labels` are the labels written on the statement (loops and switches are jump
 * targets by them).
 */
export type StatementVisitor<C> = {
  readonly [K in Visited]: (C: C, s: Extract<t.Statement, { type: K }>, labels: readonly string[]) => void;
} & {
  /** A labelled statement other than a loop or switch, which `break label` leaves; `s` is the innermost label. */
  readonly labeled: (C: C, s: t.LabeledStatement, labels: readonly string[]) => void;
  /** Any statement a workflow body may not contain: the check phase reports it; lowering never sees one. */
  readonly other: (C: C, s: t.Statement) => void;
};

/** What the walk needs of a phase's state: the lexical scopes both phases build alike. */
interface Walker {
  readonly scopes: Scopes;
}

/** A statement list: its declarations hoisted into the current scope, then each statement. */
export function visitStatements<C extends Walker>(v: StatementVisitor<C>, C: C, stmts: readonly t.Statement[]): void {
  hoistDeclarations(C.scopes, stmts);
  for (const s of stmts) visitStatement(v, C, s);
}

/** A block (or a lone statement in a block's place, `if (a) x = 1;`) in a scope of its own. */
export function visitBlock<C extends Walker>(v: StatementVisitor<C>, C: C, node: t.Statement): void {
  C.scopes.push();
  if (node.type === "BlockStatement") visitStatements(v, C, node.body);
  else visitStatements(v, C, [node]);
  C.scopes.pop();
}

export function visitStatement<C extends Walker>(v: StatementVisitor<C>, C: C, s: t.Statement, labels: readonly string[] = []): void {
  switch (s.type) {
    case "BlockStatement":
      return visitBlock(v, C, s);
    case "EmptyStatement":
    case "TSTypeAliasDeclaration":
    case "TSInterfaceDeclaration":
    case "TSDeclareFunction":
      return;
    case "LabeledStatement":
      return visitLabeled(v, C, s, [...labels, s.label.name]);
    case "ExpressionStatement":
      return v.ExpressionStatement(C, s, labels);
    case "VariableDeclaration":
      return v.VariableDeclaration(C, s, labels);
    case "IfStatement":
      return v.IfStatement(C, s, labels);
    case "ReturnStatement":
      return v.ReturnStatement(C, s, labels);
    case "ForOfStatement":
      return v.ForOfStatement(C, s, labels);
    case "ForInStatement":
      return v.ForInStatement(C, s, labels);
    case "ForStatement":
      return v.ForStatement(C, s, labels);
    case "WhileStatement":
      return v.WhileStatement(C, s, labels);
    case "DoWhileStatement":
      return v.DoWhileStatement(C, s, labels);
    case "BreakStatement":
      return v.BreakStatement(C, s, labels);
    case "ContinueStatement":
      return v.ContinueStatement(C, s, labels);
    case "TryStatement":
      return v.TryStatement(C, s, labels);
    case "ThrowStatement":
      return v.ThrowStatement(C, s, labels);
    case "SwitchStatement":
      return v.SwitchStatement(C, s, labels);
    default:
      return v.other(C, s);
  }
}

const LABEL_TARGETS: ReadonlySet<string> = new Set(["ForOfStatement", "ForInStatement", "ForStatement", "WhileStatement", "DoWhileStatement", "SwitchStatement"]);

/** `a: b: for (...)`: the labels gather onto the loop or switch they name; any other statement is a labelled block. */
function visitLabeled<C extends Walker>(v: StatementVisitor<C>, C: C, s: t.LabeledStatement, labels: readonly string[]): void {
  const body = s.body;
  if (body.type === "LabeledStatement") return visitLabeled(v, C, body, [...labels, body.label.name]);
  if (LABEL_TARGETS.has(body.type)) return visitStatement(v, C, body, labels);
  v.labeled(C, s, labels);
}
