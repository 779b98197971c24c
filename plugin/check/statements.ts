import type * as t from "@babel/types";
import type { Checker } from "./checker.ts";
import { declaring, hoistDeclarations, isExpressionArg, isPublish, iterMethodCall, jumpTargetOf, logLevel, loopTarget } from "./forms.ts";
import { dispatchOf } from "./calls.ts";
import { visitBlock, visitStatement, visitStatements, type StatementVisitor } from "./statement-visitor.ts";
import { localBinding } from "./static-refs.ts";
import { checkExpr, checkItems } from "./expressions.ts";
import { checkAwait } from "./awaits.ts";
import { checkReturnValue } from "./returns.ts";
import { reportInvalidCall } from "./dispatch.ts";
import { checkValue } from "./array-fns.ts";
import { assignableLocal, checkAssignment, checkInto, checkPattern, checkPush, checkUpdate } from "./assignments.ts";
import { unwrapTs } from "../analyze/classify.ts";

/** What the check phase does with each statement kind (the walk itself is statement-visitor.ts, shared with lowering). */
const CHECK: StatementVisitor<Checker> = {
  ExpressionStatement: (C, s) => checkExpressionStatement(C, s.expression),
  VariableDeclaration: (C, s) => checkDeclaration(C, s),
  IfStatement: (C, s) => {
    checkExpr(C, s.test);
    checkBlock(C, s.consequent);
    if (s.alternate) checkBlock(C, s.alternate);
  },
  ReturnStatement: (C, s) => {
    if (s.argument) checkReturnValue(C, s.argument);
  },
  ForOfStatement: (C, s, labels) => {
    const method = iterMethodCall(C, unwrapTs(s.right));
    checkExpr(C, method ? method.object : s.right);
    checkIteration(C, s, labels);
  },
  ForInStatement: (C, s, labels) => {
    checkExpr(C, s.right);
    checkIteration(C, s, labels);
  },
  ForStatement: (C, s, labels) => {
    C.scopes.push();
    if (s.init?.type === "VariableDeclaration") {
      hoistDeclarations(C.scopes, [s.init]);
      checkStatement(C, s.init);
    } else if (s.init) checkExpressionStatement(C, s.init);
    if (s.test) checkExpr(C, s.test);
    inLoop(C, labels, () => checkBlock(C, s.body));
    if (s.update) checkExpressionStatement(C, s.update);
    C.scopes.pop();
  },
  WhileStatement: (C, s, labels) => {
    checkExpr(C, s.test);
    inLoop(C, labels, () => checkBlock(C, s.body));
  },
  DoWhileStatement: (C, s, labels) => {
    inLoop(C, labels, () => checkBlock(C, s.body));
    checkExpr(C, s.test);
  },
  BreakStatement: (C, s) => checkBreakContinue(C, s),
  ContinueStatement: (C, s) => checkBreakContinue(C, s),
  labeled: (C, s, labels) => {
    C.jumpTargets.push({ kind: "label", labels });
    checkStatement(C, s.body);
    C.jumpTargets.pop();
  },
  TryStatement: (C, s) => checkTry(C, s),
  ThrowStatement: (C, s) => {
    const arg = s.argument;
    const binding = arg.type === "Identifier" ? C.scopes.lookup(arg.name) : null;
    if (binding?.kind !== "catch") C.report("throwNotCaught", s, { value: C.text(arg) });
  },
  SwitchStatement: (C, s, labels) => {
    checkExpr(C, s.discriminant);
    for (const c of s.cases) if (c.test) checkExpr(C, c.test);
    C.scopes.push();
    hoistDeclarations(C.scopes, s.cases.flatMap((c) => c.consequent));
    C.jumpTargets.push({ kind: "switch", labels });
    for (const c of s.cases) for (const stmt of c.consequent) checkStatement(C, stmt);
    C.jumpTargets.pop();
    C.scopes.pop();
  },
  other: (C, s) => reportStatement(C, s),
};

export function checkStatements(C: Checker, stmts: readonly t.Statement[]): void {
  visitStatements(CHECK, C, stmts);
}

export function checkBlock(C: Checker, node: t.Statement): void {
  visitBlock(CHECK, C, node);
}

export function checkStatement(C: Checker, s: t.Statement, labels: readonly string[] = []): void {
  visitStatement(CHECK, C, s, labels);
}

/** A statement a workflow body may not contain. */
function reportStatement(C: Checker, s: t.Statement): void {
  if (s.type === "FunctionDeclaration") {
    if (s.generator) C.report("generatorFunction", s);
    else C.report("functionDeclaration", s, { name: s.id?.name ?? "" });
  } else if (s.type === "WithStatement") C.report("withStatement", s);
  else C.report("unsupportedStatement", s, { statement: describeStatement(s) });
}

function describeStatement(s: t.Statement): string {
  switch (s.type) {
    case "ClassDeclaration":
      return "a class declaration";
    case "DebuggerStatement":
      return "`debugger`";
    case "TSEnumDeclaration":
      return "an enum declared inside a workflow (declare it at module level)";
    default:
      return `this statement (${s.type})`;
  }
}

function inLoop(C: Checker, labels: readonly string[], body: () => void): void {
  C.jumpTargets.push({ kind: "loop", labels });
  body();
  C.jumpTargets.pop();
}

/** `for...of` / `for...in`: the loop variable (a declaration or existing targets), then the body. */
function checkIteration(C: Checker, s: t.ForOfStatement | t.ForInStatement, labels: readonly string[]): void {
  if (s.type === "ForOfStatement" && s.await) C.report("forAwait", s);
  C.scopes.push();
  inLoop(C, labels, () => {
    if (s.left.type === "VariableDeclaration" && s.left.kind === "var") C.report("varDeclaration", s.left);
    const { pattern, bind } = loopTarget(C.scopes, s.left, (id) => assignableLocal(C, id));
    checkPattern(C, pattern, bind);
    checkBlock(C, s.body);
  });
  C.scopes.pop();
}

function checkBreakContinue(C: Checker, s: t.BreakStatement | t.ContinueStatement): void {
  const target = jumpTargetOf(C.jumpTargets, s);
  if (!target) C.report("jumpOutsideLoop", s, { statement: C.text(s) });
  else if (s.type === "ContinueStatement" && target.kind !== "loop") C.report("continueNonLoop", s, { label: s.label?.name ?? "" });
}

/** try/catch without `finally`; the catch parameter is a plain identifier, bound for the catch body only. */
function checkTry(C: Checker, s: t.TryStatement): void {
  if (s.finalizer) C.report("finallyBlock", s.finalizer);
  const clause = s.handler;
  if (!clause) return inTry(C, Boolean(s.finalizer), () => checkBlock(C, s.block));
  C.scopes.push();
  const param = clause.param;
  if (param?.type === "Identifier") C.scopes.declare(param.name, "catch");
  else if (param) C.report("catchPattern", param);
  const catchFrame = C.scopes.pop();
  inTry(C, true, () => checkBlock(C, s.block));
  C.scopes.push(catchFrame);
  // A `finally` (reported above) would also run before a call returned from the catch body settles.
  inTry(C, Boolean(s.finalizer), () => checkStatements(C, clause.body.body));
  C.scopes.pop();
}

/** Counts the `try` blocks a returned pending call would escape (returns.ts). */
function inTry(C: Checker, guarded: boolean, body: () => void): void {
  if (guarded) C.tryDepth++;
  body();
  if (guarded) C.tryDepth--;
}

/** A call that dispatches a step, written as a statement of its own without `await`. */
const DROPPED = { action: "actionCallDropped", child: "childCallDropped", receive: "receiveDropped", send: "sendDropped" } as const;

export function checkExpressionStatement(C: Checker, e: t.Expression): void {
  switch (e.type) {
    case "AwaitExpression":
      checkAwait(C, e, "discard");
      return;
    case "AssignmentExpression":
      return checkAssignment(C, e);
    case "UpdateExpression":
      return checkUpdate(C, e);
    case "SequenceExpression":
      for (const x of e.expressions) checkExpressionStatement(C, x);
      return;
    case "CallExpression": {
      const ac = dispatchOf(C, e);
      if (ac === "invalid") return reportInvalidCall(C, e);
      if (ac) {
        C.report(DROPPED[ac.kind], e, { call: C.text(e) });
        return;
      }
      if (isPublish(C, e)) return checkPublish(C, e);
      if (checkPush(C, e)) return;
      if (logLevel(C, e)) {
        checkItems(C, e.arguments);
        return;
      }
      break;
    }
  }
  checkExpr(C, e);
}

/** `publish(key, value)` as a statement: the value is a value, never a pending call. */
function checkPublish(C: Checker, call: t.CallExpression): void {
  const [key, value, ...rest] = call.arguments;
  if (!isExpressionArg(key) || !isExpressionArg(value) || rest.length > 0) {
    C.report("publishArguments", call, { call: C.text(call) });
    return;
  }
  checkExpr(C, key);
  const v = unwrapTs(value);
  const d = dispatchOf(C, v);
  if (d === "invalid") return reportInvalidCall(C, v as t.CallExpression);
  if (d) return C.report("publishHandle", v, { call: C.text(call), value: C.text(v) });
  const local = localBinding(C, v);
  if (local) C.valueUses.push({ irName: local.irName, node: v, published: true });
  else checkExpr(C, v);
}

function checkDeclaration(C: Checker, s: t.VariableDeclaration): void {
  if (s.kind === "using" || s.kind === "await using") {
    C.report("usingDeclaration", s, { keyword: s.kind });
    return;
  }
  if (s.kind === "var") C.report("varDeclaration", s);
  const bind = declaring(C.scopes, s.kind);
  for (const d of s.declarations) {
    if (d.id.type === "Identifier") {
      const target = bind(d.id);
      if (d.init) checkInto(C, target, d.id, d.init);
    } else if (d.init) {
      checkValue(C, d.init);
      checkPattern(C, d.id, bind);
    }
  }
}
