import type * as t from "@babel/types";
import type { Expr } from "../../ir-schema/index.ts";
import { unwrapTs } from "../analyze/classify.ts";
import type { Lowerer } from "./lowerer.ts";
import { lit, ref, undef } from "./ir.ts";
import { localBinding } from "../check/static-refs.ts";
import { isExpressionArg, isSleep, parallelMode } from "../check/forms.ts";
import { lowerExpr } from "./expressions.ts";
import { dispatch, dispatchOf } from "./dispatch.ts";
import { lowerParallel } from "./parallel.ts";
import type { Use } from "../check/awaits.ts";

/**
 * `await <action call>` = `call` + `await one`; `await Promise.all(...)` = calls +
 * `await all`; `await sleep(d)` = `sleep`; `await handleVar` = `await one`.
 * Awaiting any other value is the value itself. `target` names the variable the
 * result goes to (saving a temporary); otherwise a fresh `%t` is used.
 */
export function lowerAwait(L: Lowerer, node: t.AwaitExpression, use: Use, target: string | null): Expr {
  if (L.pureDepth > 0) return lit(null);
  return lowerAwaited(L, node, unwrapTs(node.argument), use, target);
}

/** `arg` awaited, located at `node`: an `await`'s argument, or a pending call a `return` returns (returns.ts). */
export function lowerAwaited(L: Lowerer, node: t.Node, arg: t.Expression, use: Use, target: string | null): Expr {
  const loc = L.loc(node);
  const into = (): string | null => target ?? (use === "value" ? L.temp("t") : null);
  const result = (name: string | null): Expr => (name ? ref(name) : undef());

  const ac = dispatchOf(L, arg);
  if (ac === "invalid") return lit(null);
  if (ac) {
    const handle = dispatch(L, ac, null);
    const to = into();
    L.emit({ kind: "await", loc, mode: "one", target: to, value: ref(handle) });
    return result(to);
  }
  if (arg.type === "CallExpression") {
    const mode = parallelMode(L, arg);
    if (mode) {
      const to = into();
      lowerParallel(L, arg, mode, to);
      return result(to);
    }
    if (isSleep(L, arg)) return lowerSleep(L, node, arg);
  }
  const local = localBinding(L, arg);
  if (local) {
    const to = into();
    L.emit({ kind: "await", loc, mode: "one", target: to, value: ref(local.irName) });
    return result(to);
  }
  return lowerExpr(L, arg);
}

function lowerSleep(L: Lowerer, node: t.Node, call: t.CallExpression): Expr {
  const loc = L.loc(node);
  const [duration, ...rest] = call.arguments;
  if (!isExpressionArg(duration)) return lit(null);
  const durationExpr = lowerExpr(L, duration);
  // `setTimeout(ms, value)` from timers/promises resolves to `value`.
  const value = rest[0];
  const valueExpr = isExpressionArg(value) ? lowerExpr(L, value) : undef();
  L.emit({ duration: durationExpr, kind: "sleep", loc });
  return valueExpr;
}
