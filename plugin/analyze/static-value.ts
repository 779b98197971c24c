import type * as t from "@babel/types";
import type { Json } from "../../ir-schema/index.ts";
import { primitiveValue, unwrapTs } from "./classify.ts";
import type { ModuleGraph, Resolved } from "./module-graph.ts";

/** A value the build knows, or why it does not know it (a phrase: "`f()` is computed at run time"). */
export type StaticValue = { value: Json } | { why: string };

/**
 * The JSON value of an expression written in module code, when the build can know
 * it without running anything: literals, object and array literals of such values,
 * module-level constants (also imported) and enum members. What a declaration
 * copied into the manifest (a schedule's spec and options) must be made of.
 */
export function staticValue(e: t.Expression, file: string, graph: ModuleGraph, source: string): StaticValue {
  const v = unwrapTs(e);
  const text = () => `\`${source.slice(v.start ?? 0, v.end ?? 0)}\``;
  const primitive = primitiveValue(v);
  if (primitive) return primitive;
  switch (v.type) {
    case "ObjectExpression": {
      const out: Record<string, Json> = {};
      for (const p of v.properties) {
        if (p.type !== "ObjectProperty" || p.computed) return { why: `${describeNode(p, source)} is not a plain \`key: value\` property` };
        const key = propertyKey(p);
        if (key === null) return { why: `${describeNode(p.key, source)} is not a plain property name` };
        const inner = staticValue(p.value as t.Expression, file, graph, source);
        if ("why" in inner) return inner;
        out[key] = inner.value;
      }
      return { value: out };
    }
    case "ArrayExpression": {
      const out: Json[] = [];
      for (const el of v.elements) {
        if (el === null || el.type === "SpreadElement") return { why: `${text()} has a hole or a spread` };
        const inner = staticValue(el, file, graph, source);
        if ("why" in inner) return inner;
        out.push(inner.value);
      }
      return { value: out };
    }
    case "Identifier":
      return constantOf(graph.resolveLocal(file, v.name), text());
    case "MemberExpression": {
      if (v.computed || v.object.type !== "Identifier" || v.property.type !== "Identifier") break;
      const base = graph.resolveLocal(file, v.object.name);
      if (base?.kind === "enum") {
        const member = base.members.get(v.property.name);
        if (member !== undefined) return { value: member };
      }
      return constantOf(base && graph.member(base, v.property.name), text());
    }
  }
  return { why: `${text()} is computed at run time` };
}

/** A property's name when it is written as a name, a string or a number. */
export function propertyKey(p: t.ObjectProperty | t.ObjectMethod): string | null {
  if (p.computed) return null;
  if (p.key.type === "Identifier") return p.key.name;
  if (p.key.type === "StringLiteral") return p.key.value;
  if (p.key.type === "NumericLiteral") return String(p.key.value);
  return null;
}

function constantOf(r: Resolved | null, text: string): StaticValue {
  if (r?.kind === "const") {
    const value = r.value;
    // JSON has neither undefined nor NaN and the infinities, which folded constants can be.
    if (value !== undefined && (typeof value !== "number" || Number.isFinite(value))) return { value };
    return { why: `${text} is ${String(value)}, which JSON cannot hold` };
  }
  return { why: `${text} is not a module-level constant` };
}

function describeNode(node: t.Node, source: string): string {
  return `\`${source.slice(node.start ?? 0, node.end ?? 0)}\``;
}
