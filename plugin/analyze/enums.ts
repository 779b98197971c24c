import type * as t from "@babel/types";

/**
 * Computes enum member values the way TypeScript does for the forms people write:
 * literals, negated numbers, references to earlier members, and auto-increment.
 * A member whose value needs real evaluation is left out (and rejected on use).
 */
export function enumMembers(node: t.TSEnumDeclaration): Map<string, string | number> {
  const members = new Map<string, string | number>();
  let next: number | null = 0;
  const body = (node as { body?: { members: t.TSEnumMember[] } }).body;
  for (const m of body?.members ?? node.members ?? []) {
    const key = m.id.type === "Identifier" ? m.id.name : m.id.value;
    const value: string | number | null = m.initializer ? constantOf(m.initializer, members) : next;
    if (value === null) {
      next = null;
      continue;
    }
    members.set(key, value);
    next = typeof value === "number" ? value + 1 : null;
  }
  return members;
}

function constantOf(e: t.Expression, members: ReadonlyMap<string, string | number>): string | number | null {
  switch (e.type) {
    case "NumericLiteral":
    case "StringLiteral":
      return e.value;
    case "TemplateLiteral":
      return e.expressions.length === 0 ? (e.quasis[0].value.cooked ?? null) : null;
    case "UnaryExpression": {
      const v = constantOf(e.argument as t.Expression, members);
      if (typeof v !== "number") return null;
      return e.operator === "-" ? -v : e.operator === "+" ? v : null;
    }
    case "Identifier":
      return members.get(e.name) ?? null;
    default:
      return null;
  }
}
