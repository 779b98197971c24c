import type * as t from "@babel/types";
import type { Lowerer } from "./lowerer.ts";
import { binary } from "./ir.ts";
import { spill } from "./anf.ts";
import { lowerExpr } from "./expressions.ts";
import { hoistDeclarations } from "../check/forms.ts";
import { lowerStatement } from "./statements.ts";

/**
 * switch: the discriminant is evaluated once; case tests are compared with `===`
 * in order (default last, wherever it is written); bodies fall through to the
 * next case's body as in JavaScript; `break` leaves the switch.
 */
export function lowerSwitch(L: Lowerer, s: t.SwitchStatement, labels: readonly string[]): void {
  const loc = L.loc(s);
  const d = spill(L, lowerExpr(L, s.discriminant), L.loc(s.discriminant));
  const bodies = s.cases.map(() => L.cfg.newBlock());
  const exit = L.cfg.newBlock();
  let defaultIndex = -1;
  s.cases.forEach((c, i) => {
    if (!c.test) {
      defaultIndex = i;
      return;
    }
    const test = lowerExpr(L, c.test);
    const next = L.cfg.newBlock();
    L.cfg.terminate({ cond: binary("===", d, test), else: next.id, kind: "branch", loc: L.loc(c), then: bodies[i].id });
    L.cfg.switchTo(next);
  });
  L.cfg.terminate({ kind: "jump", loc, to: (defaultIndex >= 0 ? bodies[defaultIndex] : exit).id });

  L.scopes.push();
  hoistDeclarations(L.scopes, s.cases.flatMap((c) => c.consequent));
  L.jumpTargets.push({ kind: "switch", labels, breakTo: exit, continueTo: null });
  s.cases.forEach((c, i) => {
    L.cfg.switchTo(bodies[i]);
    for (const stmt of c.consequent) lowerStatement(L, stmt);
    L.cfg.terminate({ kind: "jump", loc: L.loc(c), to: (bodies[i + 1] ?? exit).id });
  });
  L.jumpTargets.pop();
  L.scopes.pop();
  L.cfg.switchTo(exit);
}
