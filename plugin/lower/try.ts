import type * as t from "@babel/types";
import type { Lowerer } from "./lowerer.ts";
import { ref } from "./ir.ts";
import { lowerBlock, lowerStatements } from "./statements.ts";

/**
 * try/catch: blocks lowered inside the `try` get the handler
 * `{ block: catch entry, bind: error variable }`; the catch body and what follows
 * keep the enclosing handler. `finally` is not supported.
 */
export function lowerTry(L: Lowerer, s: t.TryStatement): void {
  const loc = L.loc(s);
  const clause = s.handler;
  if (!clause) {
    lowerBlock(L, s.block);
    return;
  }
  // The catch parameter's scope is opened now (its name is the handler's `bind`)
  // and re-entered for the catch body.
  L.scopes.push();
  let bind: string;
  const param = clause.param;
  if (!param) bind = L.temp("e");
  else if (param.type === "Identifier") bind = L.scopes.declare(param.name, "catch").irName;
  else bind = L.temp("e");
  const catchFrame = L.scopes.pop();

  const catchEntry = L.cfg.newBlock();
  const join = L.cfg.newBlock();
  L.cfg.pushHandler({ block: catchEntry.id, bind });
  const tryEntry = L.cfg.newBlock();
  L.cfg.terminate({ kind: "jump", loc, to: tryEntry.id });
  L.cfg.switchTo(tryEntry);
  lowerBlock(L, s.block);
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  L.cfg.popHandler();

  L.cfg.switchTo(catchEntry);
  L.scopes.push(catchFrame);
  lowerStatements(L, clause.body.body);
  L.scopes.pop();
  L.cfg.terminate({ kind: "jump", loc, to: join.id });
  L.cfg.switchTo(join);
}

/** Only the error caught by an enclosing catch can be thrown (rethrown) from a workflow. */
export function lowerThrow(L: Lowerer, s: t.ThrowStatement): void {
  const arg = s.argument;
  const binding = arg.type === "Identifier" ? L.scopes.lookup(arg.name) : null;
  if (binding?.kind !== "catch") return;
  L.cfg.terminate({ kind: "throw", loc: L.loc(s), value: ref(binding.irName) });
}
