/**
 * Random workflow programs from the supported subset, as fast-check arbitraries
 * over a small AST (so failures shrink to a small program) and a printer to
 * TypeScript source.
 *
 * Every generated program terminates (loops iterate over at most 3 items or up to
 * a bound of 3, nesting is shallow) and keeps numbers finite and bounded, so the
 * results compare as JSON. -0 is generated on purpose (a literal, negation, products
 * with 0) and made visible with `String(1 / x)`. Two arrays and two objects live
 * in `arrs` / `objs`, reached through re-pointable references (`ref0`, `ref1`,
 * `ob0`, `ob1`) and slots that can be made to share one object, so programs mutate shared
 * objects through either name and compare identities, across awaits and retries.
 *
 * Early returns give back the state as a value or as a call returned without
 * `await` (an action, runAction, Promise.all, a ternary's branch), written
 * `return await` inside a `try`, where JavaScript's meaning differs.
 *
 * Also: optional chains over `ch`, whose links statements set to null (so a chain
 * short-circuits or throws as JavaScript decides); expression statements that throw;
 * an action throwing strings, numbers, plain objects and a class that sets no name,
 * caught by `catch (err)` blocks that show what they caught; worklists that grow
 * while `for...of` walks them (up to a bound); and linked lists or nested arrays up
 * to 10,000 levels deep, built, held across an action call and walked.
 */
import fc from "fast-check";

export type Num =
  | { k: "lit"; v: number }
  | { k: "var"; i: number }
  | { k: "loopVar" }
  | { k: "bin"; op: "+" | "-"; l: Num; r: Num }
  | { k: "mul"; l: Num; r: Num }
  | { k: "mod"; l: Num; m: number }
  | { k: "call"; fn: "inc" | "dbl"; arg: Num }
  | { k: "cond"; c: Bool; t: Num; e: Num }
  | { k: "or"; l: Num; r: Num }
  | { k: "pick"; items: Num[]; at: Num }
  | { k: "member"; a: Num; b: Num }
  | { k: "negZero" }
  | { k: "neg"; e: Num }
  | { k: "len"; r: number }
  | { k: "field"; o: number }
  | { k: "indexOf"; r: number }
  | { k: "chain"; form: 0 | 1 | 2 | 3 };
export type Bool =
  | { k: "cmp"; op: "<" | "<=" | "===" | "!=="; l: Num; r: Num }
  | { k: "not"; b: Bool }
  | { k: "logic"; op: "&&" | "||"; l: Bool; r: Bool }
  | { k: "even"; e: Num }
  | { k: "same"; what: "r" | "o" | "slot" };
export type Str =
  | { k: "svar" }
  | { k: "tmpl"; s: Str; n: Num }
  | { k: "concat"; s: Str; lit: string }
  | { k: "slice"; s: Str }
  | { k: "cat"; s: Str; n: Num }
  | { k: "string"; n: Num };
export type Stmt =
  | { k: "assign"; i: number; op: "=" | "+=" | "-="; e: Num }
  | { k: "incr"; i: number }
  | { k: "sassign"; s: Str }
  | { k: "log"; e: Num | Str }
  | { k: "if"; c: Bool; then: Stmt[]; else: Stmt[] }
  | { k: "forOf"; items: number[]; body: Stmt[] }
  | { k: "classicFor"; n: number; body: Stmt[] }
  | { k: "while"; bound: number; c: Bool; body: Stmt[] }
  | { k: "jump"; kind: "break" | "continue"; c: Bool }
  | { k: "try"; body: Stmt[]; handler: Stmt[] }
  | { k: "risky"; i: number; e: Num; once: boolean }
  | { k: "all"; i: number; a: Num; b: Num }
  | { k: "fanOut"; items: number[]; i: number }
  | { k: "deferred"; i: number; j: number; a: Num; e: Num }
  | { k: "settled"; a: Num; b: Num }
  | { k: "destructure"; i: number; j: number; a: Num; b: Num; swap: boolean }
  | { k: "return"; c: Bool }
  | { k: "returnCall"; c: Bool; form: 0 | 1 | 2 | 3; e: Num }
  | { k: "sign"; e: Num }
  | { k: "rpush"; r: number; e: Num }
  | { k: "repoint"; what: "r" | "o"; i: number; to: number }
  | { k: "share"; what: "arrs" | "objs"; i: number; to: number }
  | { k: "oset"; o: number; op: "=" | "+="; e: Num }
  | { k: "rset"; r: number; e: Num }
  | { k: "chset"; to: 0 | 1 | 2 | 3 | 4; e: Num }
  | { k: "exprStmt"; form: 0 | 1 | 2 | 3 }
  | { k: "tryAny"; body: Stmt[]; handler: Stmt[] }
  | { k: "oddThrow"; i: number; e: Num }
  | { k: "worklist"; seed: number[]; bound: number; c: Bool; push: Num; body: Stmt[] }
  | { k: "deep"; n: number; kind: "list" | "nest"; i: number; pause: boolean };

const VARS = 3;
/** References and slots of the shared arrays and objects (ref0/ref1, ob0/ob1, arrs[0..1], objs[0..1]). */
const REFS = 2;

const weighted = <T>(...pairs: [number, fc.Arbitrary<T>][]) =>
  fc.oneof(...pairs.map(([weight, arbitrary]) => ({ weight, arbitrary })));

/** Arbitraries for a whole workflow body, memoized per depth within one factory call. */
export function programArbitrary(maxDepth = 2): fc.Arbitrary<Stmt[]> {
  const nums = new Map<number, fc.Arbitrary<Num>>();
  const bools = new Map<number, fc.Arbitrary<Bool>>();
  const strs = new Map<number, fc.Arbitrary<Str>>();
  const stmts = new Map<number, fc.Arbitrary<Stmt>>();
  const varIndex = fc.integer({ min: 0, max: VARS - 1 });
  const ref = fc.integer({ min: 0, max: REFS - 1 });
  const smallList = fc.array(fc.integer({ min: -3, max: 9 }), { maxLength: 3 });

  const num = (d: number): fc.Arbitrary<Num> => {
    if (!nums.has(d)) {
      const leaf = weighted<Num>(
        [3, fc.integer({ min: -5, max: 9 }).map((v) => ({ k: "lit", v }))],
        [4, varIndex.map((i) => ({ k: "var", i }))],
        [1, fc.constant({ k: "loopVar" })],
        [1, fc.constant({ k: "negZero" })],
        [1, ref.map((r) => ({ k: "len", r }))],
        [1, ref.map((o) => ({ k: "field", o }))],
        [1, ref.map((r) => ({ k: "indexOf", r }))],
      );
      const sub = d > 0 ? num(d - 1) : leaf;
      nums.set(d, d === 0 ? leaf : weighted<Num>(
        [4, leaf],
        [2, fc.record({ k: fc.constant("bin"), op: fc.constantFrom("+", "-"), l: sub, r: sub })],
        [1, fc.record({ k: fc.constant("mul"), l: sub, r: sub })],
        [1, fc.record({ k: fc.constant("mod"), l: sub, m: fc.integer({ min: 2, max: 7 }) })],
        [2, fc.record({ k: fc.constant("call"), fn: fc.constantFrom("inc", "dbl"), arg: sub })],
        [1, fc.record({ k: fc.constant("cond"), c: bool(d - 1), t: sub, e: sub })],
        [1, fc.record({ k: fc.constant("or"), l: sub, r: sub })],
        [1, fc.record({ k: fc.constant("pick"), items: fc.array(sub, { minLength: 1, maxLength: 3 }), at: sub })],
        [1, fc.record({ k: fc.constant("member"), a: sub, b: sub })],
        [1, fc.record({ k: fc.constant("neg"), e: sub })],
        [1, fc.record({ k: fc.constant("chain"), form: fc.constantFrom(0, 1, 2, 3) })],
      ));
    }
    return nums.get(d)!;
  };

  const bool = (d: number): fc.Arbitrary<Bool> => {
    if (!bools.has(d)) {
      const n = num(Math.max(0, d));
      const cmp = fc.record({ k: fc.constant("cmp"), op: fc.constantFrom("<", "<=", "===", "!=="), l: n, r: n });
      const even = fc.record({ k: fc.constant("even"), e: n });
      const same = fc.record({ k: fc.constant("same"), what: fc.constantFrom("r", "o", "slot") });
      bools.set(d, d <= 0 ? weighted<Bool>([3, cmp], [1, even], [1, same]) : weighted<Bool>(
        [4, cmp],
        [1, even],
        [1, same],
        [1, fc.record({ k: fc.constant("not"), b: bool(d - 1) })],
        [2, fc.record({ k: fc.constant("logic"), op: fc.constantFrom("&&", "||"), l: bool(d - 1), r: bool(d - 1) })],
      ));
    }
    return bools.get(d)!;
  };

  const str = (d: number): fc.Arbitrary<Str> => {
    if (!strs.has(d)) {
      const leaf = fc.constant<Str>({ k: "svar" });
      const sub = d > 0 ? str(d - 1) : leaf;
      const n = num(Math.max(0, d - 1));
      strs.set(d, d === 0 ? leaf : weighted<Str>(
        [2, leaf],
        [2, fc.record({ k: fc.constant("tmpl"), s: sub, n })],
        [1, fc.record({ k: fc.constant("concat"), s: sub, lit: fc.constantFrom("a", "-", "é", "🚀", "") })],
        [1, fc.record({ k: fc.constant("slice"), s: sub })],
        [2, fc.record({ k: fc.constant("cat"), s: sub, n })],
        [1, fc.record({ k: fc.constant("string"), n })],
      ));
    }
    return strs.get(d)!;
  };

  const block = (d: number) => fc.array(stmt(d), { maxLength: 3 });

  /** Statements that throw often: an action throwing odd values, expression statements, a nulled chain link. */
  const throwy: fc.Arbitrary<Stmt> = weighted<Stmt>(
    [3, fc.record({ k: fc.constant("oddThrow"), i: varIndex, e: num(1) })],
    [2, fc.record({ k: fc.constant("exprStmt"), form: fc.constantFrom(0, 1, 2, 3) })],
    [1, fc.record({ k: fc.constant("chset"), to: fc.constantFrom(0, 1), e: num(0) })],
  );

  const stmt = (d: number): fc.Arbitrary<Stmt> => {
    if (!stmts.has(d)) {
      const e = num(2);
      const c = bool(1);
      const simple: [number, fc.Arbitrary<Stmt>][] = [
        [4, fc.record({ k: fc.constant("assign"), i: varIndex, op: fc.constantFrom("=", "+=", "-="), e })],
        [1, fc.record({ k: fc.constant("incr"), i: varIndex })],
        [2, fc.record({ k: fc.constant("sassign"), s: str(2) })],
        [2, fc.record({ k: fc.constant("log"), e: fc.oneof(e, str(1)) })],
        [2, fc.record({ k: fc.constant("risky"), i: varIndex, e, once: fc.boolean() })],
        [1, fc.record({ k: fc.constant("all"), i: varIndex, a: e, b: e })],
        [1, fc.record({ k: fc.constant("fanOut"), items: smallList, i: varIndex })],
        [1, fc.record({ k: fc.constant("deferred"), i: varIndex, j: varIndex, a: e, e })],
        [1, fc.record({ k: fc.constant("settled"), a: e, b: e })],
        [1, fc.record({ k: fc.constant("destructure"), i: varIndex, j: varIndex, a: e, b: e, swap: fc.boolean() })],
        [1, fc.record({ k: fc.constant("jump"), kind: fc.constantFrom("break", "continue"), c })],
        [1, fc.record({ k: fc.constant("return"), c })],
        [1, fc.record({ k: fc.constant("returnCall"), c, form: fc.constantFrom(0, 1, 2, 3), e })],
        [1, fc.record({ k: fc.constant("sign"), e })],
        [2, fc.record({ k: fc.constant("rpush"), r: ref, e })],
        [2, fc.record({ k: fc.constant("repoint"), what: fc.constantFrom("r", "o"), i: ref, to: ref })],
        [1, fc.record({ k: fc.constant("share"), what: fc.constantFrom("arrs", "objs"), i: ref, to: ref })],
        [2, fc.record({ k: fc.constant("oset"), o: ref, op: fc.constantFrom("=", "+="), e })],
        [1, fc.record({ k: fc.constant("rset"), r: ref, e })],
        [2, fc.record({ k: fc.constant("chset"), to: fc.constantFrom(0, 1, 2, 3, 4), e })],
        [1, fc.record({ k: fc.constant("exprStmt"), form: fc.constantFrom(0, 1, 2, 3) })],
        [2, fc.record({ k: fc.constant("oddThrow"), i: varIndex, e })],
        // Small inside blocks: a loop around a 10,000-level build would be slow, not more telling.
        [1, fc.record({ k: fc.constant("deep"), n: fc.integer({ min: 0, max: 40 }), kind: fc.constantFrom("list", "nest"), i: varIndex, pause: fc.boolean() })],
      ];
      stmts.set(d, d === 0 ? weighted(...simple) : weighted<Stmt>(
        ...simple,
        [2, fc.record({ k: fc.constant("if"), c, then: block(d - 1), else: block(d - 1) })],
        [2, fc.record({ k: fc.constant("forOf"), items: smallList, body: block(d - 1) })],
        [1, fc.record({ k: fc.constant("classicFor"), n: fc.integer({ min: 0, max: 3 }), body: block(d - 1) })],
        [1, fc.record({ k: fc.constant("while"), bound: fc.integer({ min: 0, max: 3 }), c, body: block(d - 1) })],
        [2, fc.record({ k: fc.constant("try"), body: block(d - 1), handler: block(d - 1) })],
        // The body holds at least one statement likely to throw, so catches see every kind of thrown value.
        [3, fc.record({ k: fc.constant("tryAny"), body: fc.tuple(block(d - 1), throwy, block(d - 1)).map(([a, t, b]) => [...a, t, ...b]), handler: block(d - 1) })],
        [1, fc.record({
          k: fc.constant("worklist"), seed: smallList, bound: fc.integer({ min: 0, max: 8 }), c, push: e, body: block(d - 1),
        })],
      ));
    }
    return stmts.get(d)!;
  };

  // Only top-level statements build the deep structures (a loop around them would multiply the work).
  const deep = fc.record({
    k: fc.constant("deep" as const), n: fc.constantFrom(100, 1000, 10_000), kind: fc.constantFrom("list" as const, "nest" as const),
    i: varIndex, pause: fc.boolean(),
  });
  return fc.array(weighted<Stmt>([30, stmt(maxDepth)], [1, deep]), { minLength: 1, maxLength: 6 });
}

export const PARAMS = ["a", "b", "s"] as const;

export const inputArbitrary = fc.record({
  a: fc.integer({ min: -10, max: 10 }),
  b: fc.integer({ min: -10, max: 10 }),
  s: fc.string({ maxLength: 4 }),
});
