import type * as t from "@babel/types";
import type { ModuleGraph, Resolved } from "../analyze/module-graph.ts";
import type { LocalBinding, Scopes } from "./scopes.ts";

/**
 * What an identifier or a dotted member chain refers to statically:
 * a module-level binding (followed across modules), a global such as `Math.max`
 * or `Date.now`, `this.x` in a workflow class, or null for anything computed
 * from local values at run time.
 */
export type StaticRef =
  | { kind: "module"; resolved: Resolved; text: string }
  | { kind: "global"; dotted: string }
  | { kind: "this"; dotted: string };

/**
 * Where a reference is resolved: the workflow body's scopes at that point, the
 * module graph, and the side table of what each node was found to be. The check
 * phase fills `refs` as it walks; lowering walks the same scopes and reads it.
 */
export interface RefContext {
  readonly scopes: Scopes;
  /** `self`: the own name of a workflow's function expression, which names the workflow itself inside its body. */
  readonly env: { readonly graph: ModuleGraph; readonly file: string; readonly self?: SelfName | null };
  readonly refs: Map<t.Node, StaticRef | null>;
}

/** `workflow(async function fact(n) { ... await fact(n - 1) ... })`: `fact` in the body is the workflow `workflow`. */
export interface SelfName {
  local: string;
  workflow: string;
}

/** The SelfName of a workflow body: its function expression's own name, if it has one. */
export function selfNameOf(def: { name: string; form: "class" | "function"; fn: t.Function }): SelfName | null {
  return def.form === "function" && def.fn.type === "FunctionExpression" && def.fn.id ? { local: def.fn.id.name, workflow: def.name } : null;
}

export function localBinding(L: RefContext, node: t.Node): LocalBinding | null {
  return node.type === "Identifier" ? L.scopes.lookup(node.name) : null;
}

function propertyName(node: t.MemberExpression | t.OptionalMemberExpression): string | null {
  if (!node.computed && node.property.type === "Identifier") return node.property.name;
  if (node.computed && node.property.type === "StringLiteral") return node.property.value;
  return null;
}

export function staticRef(L: RefContext, node: t.Node): StaticRef | null {
  const known = L.refs.get(node);
  if (known !== undefined) return known;
  const r = resolveRef(L, node);
  L.refs.set(node, r);
  return r;
}

function resolveRef(L: RefContext, node: t.Node): StaticRef | null {
  if (node.type === "Identifier") {
    if (L.scopes.lookup(node.name)) return null;
    const self = L.env.self;
    if (self && node.name === self.local) return { kind: "module", resolved: { kind: "other", what: "a workflow", workflow: self.workflow }, text: node.name };
    const resolved = L.env.graph.resolveLocal(L.env.file, node.name);
    return resolved ? { kind: "module", resolved, text: node.name } : { kind: "global", dotted: node.name };
  }
  if (node.type === "ThisExpression") return { kind: "this", dotted: "this" };
  if (node.type !== "MemberExpression" && node.type !== "OptionalMemberExpression") return null;
  const name = propertyName(node);
  if (name === null) return null;
  const base = staticRef(L, node.object);
  if (!base) return null;
  if (base.kind !== "module") return { kind: base.kind, dotted: `${base.dotted}.${name}` };
  const text = `${base.text}.${name}`;
  const r = base.resolved;
  const viaNamespace = L.env.graph.member(r, name);
  if (viaNamespace) return { kind: "module", resolved: viaNamespace, text };
  if (r.kind === "enum") {
    const value = r.members.get(name);
    return {
      kind: "module",
      resolved: value === undefined ? { kind: "other", what: "an enum member without a constant value" } : { kind: "const", value },
      text,
    };
  }
  // A property of a constant (`PREFIX.length`, `RATE.toFixed(2)`) is read at run time from its value.
  if (r.kind === "const") return null;
  // A property of anything else is reported as a use of the binding itself.
  return base;
}

/** How a module-level binding is described in CAIRN109 messages ("is ..."). */
export function describe(r: Resolved): string {
  switch (r.kind) {
    case "action":
      return "an action";
    case "errorClass":
      return "an error class";
    case "class":
      return r.workflow ? "a workflow" : "a class";
    case "enum":
      return "an enum";
    case "const":
      return "a constant";
    case "cairn":
      return "a cairn primitive";
    case "timers":
      return "a timer function";
    case "namespace":
      return "a module namespace";
    case "other":
      return r.what;
    case "external":
      return `an import from "${r.source}", which the compiler does not look into`;
    case "unresolved":
      return `an import that cannot be resolved (${r.what})`;
  }
}

const NONDETERMINISTIC_ROOTS: ReadonlySet<string> = new Set(["process", "crypto", "performance", "Date"]);
const NONDETERMINISTIC_NAMES: ReadonlySet<string> = new Set([
  "Math.random", "fetch", "setTimeout", "setInterval", "setImmediate", "queueMicrotask",
  "clearTimeout", "clearInterval", "clearImmediate", "XMLHttpRequest", "WebSocket",
]);

/** Globals whose value differs between runs (and so between replays). */
export function isNondeterministic(dotted: string): boolean {
  return NONDETERMINISTIC_ROOTS.has(dotted.split(".")[0]) || NONDETERMINISTIC_NAMES.has(dotted);
}
