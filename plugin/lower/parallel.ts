import type * as t from "@babel/types";
import type { Expr, Item } from "../../ir-schema/index.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { lowerOperands } from "./anf.ts";
import { array, binary, lit, member, plus1, prop, ref, undef } from "./ir.ts";
import { localBinding } from "../check/static-refs.ts";
import { isExpressionArg, matchFanOut, type FanOut, type ParallelMode } from "../check/forms.ts";
import { lowerExpr } from "./expressions.ts";
import { dispatch, dispatchOf } from "./dispatch.ts";

/**
 * `await Promise.all([...])`: dispatch the element calls left to right, then one
 * `await all` over the array of handles (other elements pass through as values).
 * `Promise.all(xs.map((x) => act(x)))` becomes a loop dispatching one call per element.
 */
export function lowerParallel(L: Lowerer, call: t.CallExpression, mode: ParallelMode, target: string | null): void {
  const loc = L.loc(call);
  const arg = call.arguments[0];
  if (!isExpressionArg(arg)) return;
  const list = unwrapTs(arg);
  let value: Expr;
  if (list.type === "ArrayExpression") value = array(lowerElements(L, list));
  else {
    const fanOut = matchFanOut(L, list);
    value = fanOut ? lowerFanOut(L, fanOut) : lowerExpr(L, list);
  }
  L.emit({ kind: "await", loc, mode, target, value });
}

function lowerElements(L: Lowerer, list: t.ArrayExpression): Item[] {
  return lowerOperands<Item, t.Expression | t.SpreadElement>(
    L, list.elements,
    (el) => {
      if (!el) return undef();
      if (el.type === "SpreadElement") return { kind: "spread", value: lowerExpr(L, el.argument) };
      const ac = dispatchOf(L, el);
      if (ac === "invalid") return lit(null);
      if (ac) {
        return ref(dispatch(L, ac, null));
      }
      // A handle variable is what Promise.all is for: not a "use as a value".
      const local = localBinding(L, unwrapTs(el));
      return local ? ref(local.irName) : lowerExpr(L, el);
    },
    (i) => (i.kind === "spread" ? i.value : i),
    (i, e) => (i.kind === "spread" ? { ...i, value: e } : e),
  );
}

/**
 * The synthetic loop: `%o` = a copy of the source, `%a` = [], counter `%i`; each
 * iteration binds the callback's parameters, dispatches one call (its `iter`
 * includes `%i`, so every element gets a distinct, stable call id) and pushes the
 * handle. An empty source dispatches nothing and the await yields [].
 */
function lowerFanOut(L: Lowerer, f: FanOut): Expr {
  const loc = L.loc(f.node);
  const source = L.temp("o");
  const handles = L.temp("a");
  const counter = L.temp("i");
  L.assign(source, lowerExpr(L, f.source), loc);
  L.assign(handles, array([]), loc);
  L.assign(counter, lit(0), loc);
  const header = L.cfg.newBlock();
  const body = L.cfg.newBlock();
  const exit = L.cfg.newBlock();
  L.cfg.terminate({ kind: "jump", loc, to: header.id });
  L.cfg.switchTo(header);
  L.cfg.terminate({
    cond: binary("<", ref(counter), prop(ref(source), "length")),
    else: exit.id,
    kind: "branch",
    loc,
    then: body.id,
  });
  L.cfg.switchTo(body);
  L.scopes.push();
  L.iter.push(counter);
  const param = L.scopes.declare(f.param.name, "callback");
  L.assign(param.irName, member(ref(source), ref(counter)), L.loc(f.param));
  if (f.index) L.assign(L.scopes.declare(f.index.name, "callback").irName, ref(counter), L.loc(f.index));
  const handle = dispatch(L, f.body, null);
  L.emit({ items: array([ref(handle)]), kind: "push", loc, path: [], target: handles });
  L.assign(counter, plus1(counter), loc);
  L.cfg.terminate({ kind: "jump", loc, to: header.id });
  L.iter.pop();
  L.scopes.pop();
  L.cfg.switchTo(exit);
  return ref(handles);
}
