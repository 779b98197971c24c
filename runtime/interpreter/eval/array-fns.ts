import type { Expr, NodeOf } from "../../../ir-schema/index.ts";
import { typeError } from "../errors.ts";
import { describe } from "./members.ts";
import { evaluate, type Scope } from "./evaluate.ts";

type ArrayFnNode = NodeOf<Expr, "arrayFn">;

/** `source.fn((param, index) => body)`: the arrow's parameters live in an overlay scope. */
export function runArrayFn(node: ArrayFnNode, scope: Scope): unknown {
  const source = evaluate(node.source, scope);
  if (!Array.isArray(source)) throw typeError(`${describe(node.source)}.${node.fn} is not a function`);
  const body = (item: unknown, i: number): unknown => {
    let locals = { name: node.param, value: item, next: scope.locals };
    if (node.index !== null) locals = { name: node.index, value: i, next: locals };
    return evaluate(node.body, { ...scope, locals });
  };
  // The native methods: holes (`a.length = 5`) are skipped exactly as JavaScript skips them.
  switch (node.fn) {
    case "map":
      return source.map((x, i) => body(x, i));
    case "filter":
      return source.filter((x, i) => body(x, i));
    case "some":
      return source.some((x, i) => body(x, i));
    case "every":
      return source.every((x, i) => body(x, i));
    case "find":
      return source.find((x, i) => body(x, i));
    case "findIndex":
      return source.findIndex((x, i) => body(x, i));
    case "flatMap":
      return source.flatMap((x, i) => body(x, i));
  }
}
