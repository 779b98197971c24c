import type * as t from "@babel/types";

/** Properties of a Babel node that never hold child nodes: positions, comments, parser extras. */
const NOT_CHILDREN: ReadonlySet<string> = new Set([
  "type", "start", "end", "loc", "range", "extra", "leadingComments", "trailingComments", "innerComments",
]);

/**
 * Whether `visit` returns true for some direct child node of `node`. A walk over
 * the node's own properties rather than @babel/types' VISITOR_KEYS: importing
 * @babel/types (every node definition, validator and builder) costs a fresh
 * process about a quarter of a second, which a build would pay for one table.
 */
export function someChild(node: t.Node, visit: (child: t.Node) => boolean): boolean {
  // for-in, not childKeys(): this runs for every node a lowering asks about, and
  // allocates nothing. (It also lists the prototype's `__clone`, a function, which
  // isNode skips.)
  for (const key in node) {
    if (NOT_CHILDREN.has(key)) continue;
    const value = (node as unknown as Record<string, unknown>)[key];
    if (Array.isArray(value)) {
      for (const child of value) if (isNode(child) && visit(child)) return true;
    } else if (isNode(value) && visit(value)) {
      return true;
    }
  }
  return false;
}

/** The keys of `node` that may hold child nodes (or arrays of them). */
export function childKeys(node: t.Node): string[] {
  return Object.keys(node).filter((key) => !NOT_CHILDREN.has(key));
}

export function isNode(value: unknown): value is t.Node {
  return typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string";
}
