import type * as t from "@babel/types";
import type { Lowerer } from "./lowerer.ts";
import { declaring, isPublish } from "../check/forms.ts";
import { visitBlock, visitStatement, visitStatements, type StatementVisitor } from "../check/statement-visitor.ts";
import { unary, undef } from "./ir.ts";
import { isStable, lowerExprs } from "./anf.ts";
import { lowerExpr } from "./expressions.ts";
import { lowerAwait } from "./awaits.ts";
import { dispatchOf } from "./dispatch.ts";
import { assignPattern } from "./patterns.ts";
import { lowerValue } from "./array-fns.ts";
import { lowerAssignment, lowerInto, lowerPush, lowerUpdate } from "./assignments.ts";
import { lowerBreakContinue, lowerDoWhile, lowerFor, lowerForIn, lowerForOf, lowerWhile } from "./loops.ts";
import { lowerThrow, lowerTry } from "./try.ts";
import { lowerSwitch } from "./switch.ts";
import { lowerLog } from "./logs.ts";
import { lowerReturn } from "./returns.ts";

/** What lowering does with each statement kind (the walk itself is check/statement-visitor.ts, shared with the check phase). */
const LOWER: StatementVisitor<Lowerer> = {
  ExpressionStatement: (L, s) => lowerExpressionStatement(L, s.expression),
  VariableDeclaration: (L, s) => lowerDeclaration(L, s),
  IfStatement: (L, s) => lowerIf(L, s),
  ReturnStatement: (L, s) => lowerReturn(L, s, s.argument),
  ForOfStatement: (L, s, labels) => lowerForOf(L, s, labels),
  ForInStatement: (L, s, labels) => lowerForIn(L, s, labels),
  ForStatement: (L, s, labels) => lowerFor(L, s, labels),
  WhileStatement: (L, s, labels) => lowerWhile(L, s, labels),
  DoWhileStatement: (L, s, labels) => lowerDoWhile(L, s, labels),
  BreakStatement: (L, s) => lowerBreakContinue(L, s),
  ContinueStatement: (L, s) => lowerBreakContinue(L, s),
  labeled: (L, s, labels) => {
    const exit = L.cfg.newBlock();
    L.jumpTargets.push({ kind: "label", labels, breakTo: exit, continueTo: null });
    lowerStatement(L, s.body);
    L.jumpTargets.pop();
    L.cfg.terminate({ kind: "jump", loc: L.loc(s), to: exit.id });
    L.cfg.switchTo(exit);
  },
  TryStatement: (L, s) => lowerTry(L, s),
  ThrowStatement: (L, s) => lowerThrow(L, s),
  SwitchStatement: (L, s, labels) => lowerSwitch(L, s, labels),
  // Every other statement was reported by the check phase.
  other: () => {},
};

export function lowerStatements(L: Lowerer, stmts: readonly t.Statement[]): void {
  visitStatements(LOWER, L, stmts);
}

export function lowerBlock(L: Lowerer, node: t.Statement): void {
  visitBlock(LOWER, L, node);
}

export function lowerStatement(L: Lowerer, s: t.Statement, labels: readonly string[] = []): void {
  visitStatement(LOWER, L, s, labels);
}

export function lowerExpressionStatement(L: Lowerer, e: t.Expression): void {
  switch (e.type) {
    case "AwaitExpression":
      lowerAwait(L, e, "discard", null);
      return;
    case "AssignmentExpression":
      return lowerAssignment(L, e);
    case "UpdateExpression":
      return lowerUpdate(L, e);
    case "SequenceExpression":
      for (const x of e.expressions) lowerExpressionStatement(L, x);
      return;
    case "CallExpression": {
      const ac = dispatchOf(L, e);
      if (ac === "invalid") return;
      if (ac) return;
      if (isPublish(L, e)) return lowerPublish(L, e);
      if (lowerPush(L, e) || lowerLog(L, e)) return;
      break;
    }
  }
  // Any other expression is still evaluated, for what it throws (`JSON.parse(s);`,
  // `o.a.b;`): the IR has no expression statement, so it is assigned as `void e` to
  // a temporary, which leaves the temporary unset. A variable or a literal cannot throw.
  const value = lowerExpr(L, e);
  if (!isStable(value)) L.assign(DISCARD, unary("void", value), L.loc(e));
}

/** `publish(key, value)`: the `publish` instruction, key then value evaluated left to right. */
function lowerPublish(L: Lowerer, call: t.CallExpression): void {
  const [key, value] = lowerExprs(L, call.arguments.slice(0, 2));
  L.emit({ key, kind: "publish", loc: L.loc(call), value });
}

/** Where expression statements are evaluated; `void` keeps it empty, so it never holds a value in the state. */
const DISCARD = "%_";

function lowerDeclaration(L: Lowerer, s: t.VariableDeclaration): void {
  if (s.kind === "using" || s.kind === "await using") return;
  const bind = declaring(L.scopes, s.kind);
  for (const d of s.declarations) {
    if (d.id.type === "Identifier") {
      const target = bind(d.id);
      if (d.init) lowerInto(L, target, d.id, d.init);
      else L.assign(target, undef(), L.loc(d));
    } else if (d.init) {
      assignPattern(L, d.id, lowerValue(L, d.init), bind);
    }
  }
}

function lowerIf(L: Lowerer, s: t.IfStatement): void {
  const loc = L.loc(s);
  const test = lowerExpr(L, s.test);
  const then = L.cfg.newBlock();
  const otherwise = s.alternate ? L.cfg.newBlock() : null;
  const join = L.cfg.newBlock();
  L.cfg.terminate({ cond: test, else: (otherwise ?? join).id, kind: "branch", loc, then: then.id });
  L.cfg.switchTo(then);
  lowerBlock(L, s.consequent);
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  if (otherwise && s.alternate) {
    L.cfg.switchTo(otherwise);
    lowerBlock(L, s.alternate);
    L.cfg.terminate({ kind: "jump", loc, to: join.id });
  }
  L.cfg.switchTo(join);
}
