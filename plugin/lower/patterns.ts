import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import type { Lowerer } from "./lowerer.ts";
import { containsAwait } from "./anf.ts";
import { array, binary, builtin, cond, lit, member, method, ref, undef, unary } from "./ir.ts";
import { lowerExpr } from "./expressions.ts";
import { assignToMember } from "./assignments.ts";
import { propertyKeyName, type Bind } from "../check/forms.ts";

/** Keeps a value in a variable so a pattern can read it several times without re-evaluating it. */
function inVar(L: Lowerer, value: Expr, loc: string): Expr {
  if (value.kind === "var") return value;
  const tmp = L.temp("t");
  L.assign(tmp, value, loc);
  return ref(tmp);
}

/** `sub === undefined ? default : sub`, as a branch when the default suspends (it must only run when needed). */
function withDefault(L: Lowerer, sub: Expr, fallback: t.Expression): Expr {
  const loc = L.loc(fallback);
  const isUndefined = (e: Expr) => binary("===", e, undef());
  if (!containsAwait(L, fallback)) return cond(isUndefined(sub), lowerExpr(L, fallback), sub);
  const tmp = L.temp("t");
  L.assign(tmp, sub, loc);
  const then = L.cfg.newBlock();
  const join = L.cfg.newBlock();
  L.cfg.terminate({ cond: isUndefined(ref(tmp)), else: join.id, kind: "branch", loc, then: then.id });
  L.cfg.switchTo(then);
  L.assign(tmp, lowerExpr(L, fallback), loc);
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  L.cfg.switchTo(join);
  return ref(tmp);
}

/** Destructuring, lowered to plain assigns (defaults, rest and nesting included). */
export function assignPattern(L: Lowerer, pattern: t.Node, value: Expr, bind: Bind): void {
  const loc = L.loc(pattern);
  switch (pattern.type) {
    case "Identifier": {
      const target = bind(pattern);
      if (target) L.assign(target, value, loc);
      return;
    }
    case "MemberExpression":
      assignToMember(L, pattern, { node: null, lower: () => value });
      return;
    case "AssignmentPattern":
      assignPattern(L, pattern.left, withDefault(L, value, pattern.right), bind);
      return;
    case "ArrayPattern": {
      // Destructuring iterates the value: a string by code point, a non-iterable is a TypeError.
      const v = inVar(L, value.kind === "array" ? value : array([{ kind: "spread", value }]), L.loc(pattern));
      pattern.elements.forEach((el, i) => {
        if (!el) return;
        if (el.type === "RestElement") assignPattern(L, el.argument, method(v, "slice", [lit(i)]), bind);
        else assignPattern(L, el, member(v, lit(i)), bind);
      });
      return;
    }
    case "ObjectPattern": {
      const v = inVar(L, value, L.loc(pattern));
      const keys: Expr[] = [];
      for (const p of pattern.properties) {
        if (p.type === "RestElement") {
          assignPattern(L, p.argument, objectRest(L, v, keys), bind);
          continue;
        }
        const key = p.computed ? inVar(L, lowerExpr(L, p.key), L.loc(p.key)) : lit(propertyKeyName(p.key) ?? "");
        keys.push(key);
        assignPattern(L, p.value, member(v, key), bind);
      }
      return;
    }
    default:
      // Any other target was reported by the check phase.
      return;
  }
}

/** `{ a, ...rest } = v`: rest = Object.fromEntries(Object.entries(v).filter((p) => !["a"].includes(p[0]))). */
function objectRest(L: Lowerer, v: Expr, keys: Expr[]): Expr {
  const p = L.temp("p");
  const excluded = unary("!", method(array([...keys]), "includes", [member(ref(p), lit(0))]));
  const entries = builtin("Object.entries", [v]);
  return builtin("Object.fromEntries", [{ body: excluded, fn: "filter", index: null, kind: "arrayFn", param: p, source: entries }]);
}
