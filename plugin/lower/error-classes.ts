import type * as t from "@babel/types";
import type { Lowerer } from "./lowerer.ts";
import { errorClassOf } from "../check/error-classes.ts";

/**
 * The class name an error class reference stands for (errorClassOf), recording
 * the expression that named a class declared in the project in `errorRefs`: what
 * a bundler pins the class's name through (module-layout.ts).
 */
export function errorClassName(L: Lowerer, node: t.Node): string | null {
  const found = errorClassOf(L, node);
  if (found?.declared) L.errorRefs.set(L.text(node), found.className);
  return found?.className ?? null;
}
