import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import type { DraftBlock } from "./cfg-builder.ts";
import { IterMethods } from "../../ir-schema/vocabulary.ts";
import { unwrapTs } from "../analyze/classify.ts";
import { builtin, lit, plus1, prop, ref } from "./ir.ts";
import { hoistDeclarations, iterMethodCall, jumpTargetOf, loopTarget } from "../check/forms.ts";
import { lowerExpr } from "./expressions.ts";
import { assignPattern } from "./patterns.ts";
import { assignableLocal } from "./assignments.ts";
import { lowerBlock, lowerExpressionStatement, lowerStatement } from "./statements.ts";

/**
 * Every loop has a hidden counter (`%iN`): reset to 0 on entry, incremented once
 * per iteration at the latch. Calls inside the loop list it in their `iter`, so
 * each iteration's call has its own stable id.
 */
interface LoopBlocks {
  counter: string;
  header: DraftBlock;
  body: DraftBlock;
  latch: DraftBlock;
  exit: DraftBlock;
}

function startLoop(L: Lowerer, loc: string): LoopBlocks {
  const counter = L.temp("i");
  L.assign(counter, lit(0), loc);
  return { counter, header: L.cfg.newBlock(), body: L.cfg.newBlock(), latch: L.cfg.newBlock(), exit: L.cfg.newBlock() };
}

/** Lowers the loop body with the loop's counter in `iter` and its break/continue targets. */
function lowerLoopBody(L: Lowerer, loop: LoopBlocks, labels: readonly string[], loc: string, lower: () => void): void {
  L.cfg.switchTo(loop.body);
  L.iter.push(loop.counter);
  L.jumpTargets.push({ kind: "loop", labels, breakTo: loop.exit, continueTo: loop.latch });
  lower();
  L.jumpTargets.pop();
  L.iter.pop();
  L.cfg.terminate({ kind: "jump", loc, to: loop.latch.id });
}

/** The loop test runs once per iteration: its calls carry the loop counter like the body's. */
function lowerTest(L: Lowerer, loop: LoopBlocks, test: t.Expression): Expr {
  L.iter.push(loop.counter);
  const cond = lowerExpr(L, test);
  L.iter.pop();
  return cond;
}

function increment(L: Lowerer, loop: LoopBlocks, loc: string): void {
  L.assign(loop.counter, plus1(loop.counter), loc);
}

/**
 * `for (const x of xs)` takes an iterator of xs once (`iter`, which raises
 * JavaScript's TypeError for what is not iterable) and steps it at the loop header
 * (`next`): an array is read live, so a worklist that pushes while it loops visits
 * what it pushed, and a string goes by code point. `for (k in o)` iterates Object.keys(o).
 */
function lowerIteration(L: Lowerer, s: t.ForOfStatement | t.ForInStatement, source: Expr, method: IterMethod | null, labels: readonly string[]): void {
  const loc = L.loc(s);
  const iterator = L.temp("o");
  L.assign(iterator, { kind: "iter", method, value: source }, loc);
  const loop = startLoop(L, loc);
  L.cfg.terminate({ kind: "jump", loc, to: loop.header.id });
  L.cfg.switchTo(loop.header);
  const step = L.temp("n");
  L.emit({ iterator, kind: "next", loc, target: step });
  L.cfg.terminate({ cond: prop(ref(step), "done"), else: loop.body.id, kind: "branch", loc, then: loop.exit.id });
  L.scopes.push();
  lowerLoopBody(L, loop, labels, loc, () => {
    const { pattern, bind } = loopTarget(L.scopes, s.left, (id) => assignableLocal(L, id));
    assignPattern(L, pattern, prop(ref(step), "value"), bind);
    lowerBlock(L, s.body);
  });
  L.scopes.pop();
  L.cfg.switchTo(loop.latch);
  increment(L, loop, loc);
  L.cfg.terminate({ kind: "jump", loc, to: loop.header.id });
  L.cfg.switchTo(loop.exit);
}

type IterMethod = (typeof IterMethods)[number];

export function lowerForOf(L: Lowerer, s: t.ForOfStatement, labels: readonly string[]): void {
  // `xs.entries()` (also keys/values) is iterated as JavaScript's array iterator does, live: not as the array the method returns.
  const method = iterMethodCall(L, unwrapTs(s.right));
  if (method) lowerIteration(L, s, lowerExpr(L, method.object), method.method, labels);
  else lowerIteration(L, s, lowerExpr(L, s.right), null, labels);
}

export function lowerForIn(L: Lowerer, s: t.ForInStatement, labels: readonly string[]): void {
  // `for (k in null)` runs zero times, where Object.keys(null) throws.
  const object: Expr = { kind: "logical", left: lowerExpr(L, s.right), op: "??", right: { kind: "object", props: [] } };
  lowerIteration(L, s, builtin("Object.keys", [object]), null, labels);
}

export function lowerFor(L: Lowerer, s: t.ForStatement, labels: readonly string[]): void {
  L.scopes.push();
  if (s.init?.type === "VariableDeclaration") {
    hoistDeclarations(L.scopes, [s.init]);
    lowerStatement(L, s.init);
  } else if (s.init) {
    lowerExpressionStatement(L, s.init);
  }
  lowerTestedLoop(L, L.loc(s), s.test ?? null, s.update ?? null, s.body, labels);
  L.scopes.pop();
}

/** `while (test) body` is `for (; test; ) body`. */
export function lowerWhile(L: Lowerer, s: t.WhileStatement, labels: readonly string[]): void {
  lowerTestedLoop(L, L.loc(s), s.test, null, s.body, labels);
}

/** The loop of a `for` and a `while`: the test at the header (none: always true), the update at the latch. */
function lowerTestedLoop(
  L: Lowerer, loc: string, test: t.Expression | null, update: t.Expression | null, body: t.Statement, labels: readonly string[],
): void {
  const loop = startLoop(L, loc);
  L.cfg.terminate({ kind: "jump", loc, to: loop.header.id });
  L.cfg.switchTo(loop.header);
  if (test) {
    const cond = lowerTest(L, loop, test);
    L.cfg.terminate({ cond, else: loop.exit.id, kind: "branch", loc, then: loop.body.id });
  } else {
    L.cfg.terminate({ kind: "jump", loc, to: loop.body.id });
  }
  lowerLoopBody(L, loop, labels, loc, () => lowerBlock(L, body));
  L.cfg.switchTo(loop.latch);
  if (update) {
    L.iter.push(loop.counter);
    lowerExpressionStatement(L, update);
    L.iter.pop();
  }
  increment(L, loop, loc);
  L.cfg.terminate({ kind: "jump", loc, to: loop.header.id });
  L.cfg.switchTo(loop.exit);
}

/** `do { body } while (test)`: `continue` goes to the test, which is at the latch. */
export function lowerDoWhile(L: Lowerer, s: t.DoWhileStatement, labels: readonly string[]): void {
  const loc = L.loc(s);
  const loop = startLoop(L, loc);
  L.cfg.terminate({ kind: "jump", loc, to: loop.body.id });
  lowerLoopBody(L, loop, labels, loc, () => lowerBlock(L, s.body));
  L.cfg.switchTo(loop.latch);
  increment(L, loop, loc);
  const test = lowerTest(L, loop, s.test);
  L.cfg.terminate({ cond: test, else: loop.exit.id, kind: "branch", loc, then: loop.body.id });
  L.cfg.switchTo(loop.exit);
}

export function lowerBreakContinue(L: Lowerer, s: t.BreakStatement | t.ContinueStatement): void {
  const target = jumpTargetOf(L.jumpTargets, s);
  const to = s.type === "BreakStatement" ? target?.breakTo : target?.continueTo;
  if (to) L.cfg.terminate({ kind: "jump", loc: L.loc(s), to: to.id });
}
