import type * as t from "@babel/types";
import type { ModuleResolver } from "../resolve/module-resolver.ts";
import type { ModuleCache } from "./module-cache.ts";
import { TIMER_SPECIFIERS, type ActionShape, type Decl, type ModuleSummary } from "./declarations.ts";
import { exportNameOf } from "./module-summary.ts";
import { foldConst, type ConstTree, type ConstValue } from "./const-fold.ts";
import { Authoring, PACKAGE_NAME, authoringRole } from "../../ir-schema/vocabulary.ts";

export const BUILTIN_ERROR_CLASSES: ReadonlySet<string> = new Set([
  "Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError", "AggregateError",
]);

/** A module-level name, followed through imports and re-exports to what it is. */
export type Resolved =
  | { kind: "cairn"; name: string }
  | { kind: "timers"; name: string }
  | { kind: "namespace"; file: string }
  | { kind: "action"; name: string | null; isVoid: boolean; file: string; exportName: string | null; local: string }
  | { kind: "errorClass"; className: string }
  /** `workflow`: the workflow's name when the class is a `@workflow` class; `file`: then, the module declaring it. */
  | { kind: "class"; className: string; workflow?: string; file?: string }
  | { kind: "enum"; members: ReadonlyMap<string, string | number> }
  | { kind: "const"; value: ConstValue }
  /**
   * `workflow`: the workflow's name when the binding is a `workflow(...)` (a child
   * workflow call's target); `file`: then, the module declaring it.
   */
  | { kind: "other"; what: string; workflow?: string; file?: string }
  | { kind: "external"; source: string }
  | { kind: "unresolved"; what: string };

const MAX_DEPTH = 32;
/** The local name a module summary gives `export default <expression>`. */
const DEFAULT_LOCAL = "*default*";

/**
 * The modules reachable from the file being compiled, read through the resolver
 * and parsed through the cache. One graph per compile() call; it holds no state
 * beyond that call.
 */
export class ModuleGraph {
  constructor(
    private readonly resolver: ModuleResolver,
    private readonly cache: ModuleCache,
    private readonly mainFile: string,
    private readonly mainSource: string,
  ) {}

  /** Folded module constants by file and name; null while one is being folded, which a reference back to it finds. */
  private readonly folded = new Map<string, Resolved | null>();

  summary(file: string): ModuleSummary | null {
    const source = file === this.mainFile ? this.mainSource : this.resolver.read(file);
    if (source === null) return null;
    return this.cache.summary ? this.cache.summary(file, source) : this.cache.get(file, source).summary;
  }

  /** What `local` names at the top level of `file`; null when it is not a module-level binding. */
  resolveLocal(file: string, local: string, depth = 0): Resolved | null {
    const s = this.summary(file);
    if (!s || depth > MAX_DEPTH) return null;
    const decl = s.decls.get(local);
    if (decl) return this.fromDecl(file, s, local, decl, depth);
    const imp = s.imports.get(local);
    if (!imp) return null;
    if (imp.source === PACKAGE_NAME) return { kind: "cairn", name: imp.imported };
    if (TIMER_SPECIFIERS.has(imp.source)) return { kind: "timers", name: imp.imported };
    const target = this.resolver.resolve(imp.source, file);
    if (!target) return { kind: "external", source: imp.source };
    if (imp.imported === "*") return { kind: "namespace", file: target };
    return this.resolveExport(target, imp.imported, depth + 1);
  }

  /** What `file` exports as `name`, following `export { x } from` and `export *`. */
  resolveExport(file: string, name: string, depth = 0): Resolved {
    const unresolved: Resolved = { kind: "unresolved", what: `export \`${name}\` of ${file}` };
    const s = this.summary(file);
    if (!s || depth > MAX_DEPTH) return unresolved;
    const entry = s.exports.get(name);
    if (entry && "local" in entry) return this.resolveLocal(file, entry.local, depth + 1) ?? unresolved;
    if (entry) {
      if (entry.from === PACKAGE_NAME) return { kind: "cairn", name: entry.imported };
      const target = this.resolver.resolve(entry.from, file);
      if (!target) return { kind: "external", source: entry.from };
      return entry.imported === "*" ? { kind: "namespace", file: target } : this.resolveExport(target, entry.imported, depth + 1);
    }
    if (name === "default") return unresolved;
    for (const from of s.starExports) {
      if (from === PACKAGE_NAME) return { kind: "cairn", name };
      const target = this.resolver.resolve(from, file);
      if (!target) continue;
      const r = this.resolveExport(target, name, depth + 1);
      if (r.kind !== "unresolved") return r;
    }
    return unresolved;
  }

  /** `ns.member` for a namespace import; null when `r` is not a namespace. */
  member(r: Resolved, property: string): Resolved | null {
    if (r.kind === "namespace") return this.resolveExport(r.file, property);
    if ((r.kind === "cairn" || r.kind === "timers") && r.name === "*") return { kind: r.kind, name: property };
    return null;
  }

  private fromDecl(file: string, s: ModuleSummary, local: string, decl: Decl, depth: number): Resolved {
    switch (decl.kind) {
      case "action":
        return { kind: "action", name: decl.name, isVoid: decl.isVoid, file, exportName: exportNameOf(s, local), local };
      case "class":
        return this.isErrorClass(file, decl.superclass, depth)
          ? { kind: "errorClass", className: decl.className }
          : { kind: "class", className: decl.className, ...(decl.workflow ? { workflow: decl.workflow, file } : {}) };
      case "enum":
        return { kind: "enum", members: decl.members };
      case "const":
        return { kind: "const", value: decl.value };
      case "constExpr":
        return this.foldConstant(file, local, decl.tree, depth);
      case "other":
        return { kind: "other", what: decl.what, ...(decl.workflow ? { workflow: decl.workflow, file } : {}) };
      case "call": {
        const callee = this.callee(file, decl.callee, depth);
        if (callee?.kind === "cairn" && callee.name === Authoring.action) return this.fromDecl(file, s, local, { kind: "action", ...decl.action }, depth);
        if (callee?.kind === "cairn" && callee.name === Authoring.workflow) {
          // cairn's `workflow` re-exported by a module of the project: named as findWorkflows names it.
          const name = decl.action.name ?? (local === DEFAULT_LOCAL ? null : local);
          return { kind: "other", what: "a workflow", ...(name ? { workflow: name, file } : {}) };
        }
        return { kind: "other", what: decl.what };
      }
    }
  }

  /** `const local = <tree>` of `file`, folded with the constants it names (also imported ones), once per graph. */
  private foldConstant(file: string, local: string, tree: ConstTree, depth: number): Resolved {
    const key = `${file}\0${local}`;
    const known = this.folded.get(key);
    if (known) return known;
    if (known === null) return { kind: "other", what: `a module-level constant whose value refers to itself` };
    this.folded.set(key, null);
    const folded = foldConst(tree, (name, member) => {
      if (name === local) return { why: "itself" };
      const base = this.resolveLocal(file, name, depth + 1);
      const text = member === null ? name : `${name}.${member}`;
      let r: Resolved | null = base;
      if (base && member !== null) r = this.member(base, member) ?? (base.kind === "enum" ? enumMember(base, member) : null);
      if (r?.kind === "const") return { value: r.value };
      return { why: `\`${text}\` (not a constant primitive)` };
    });
    const result: Resolved = "why" in folded
      ? { kind: "other", what: `a module-level constant computed from ${folded.why}` }
      : { kind: "const", value: folded.value };
    this.folded.set(key, result);
    return result;
  }

  /**
   * The action `local` declares at the top level of `file`: an `action(...)` call,
   * also through cairn's `action` re-exported by a module of the project; null
   * when it declares something else.
   */
  declaredAction(file: string, local: string): ActionShape | null {
    const decl = this.summary(file)?.decls.get(local);
    if (decl?.kind === "action") return decl;
    if (decl?.kind !== "call") return null;
    const callee = this.callee(file, decl.callee, 0);
    return callee?.kind === "cairn" && callee.name === Authoring.action ? decl.action : null;
  }

  private callee(file: string, callee: { local: string; member: string | null }, depth: number): Resolved | null {
    const r = this.resolveLocal(file, callee.local, depth + 1);
    return r && callee.member !== null ? this.member(r, callee.member) : r;
  }

  private isErrorClass(file: string, superclass: t.Expression | null, depth: number): boolean {
    if (!superclass || depth > MAX_DEPTH) return false;
    let r: Resolved | null = null;
    if (superclass.type === "Identifier") {
      r = this.resolveLocal(file, superclass.name, depth + 1);
      if (r === null) return BUILTIN_ERROR_CLASSES.has(superclass.name);
    } else if (
      superclass.type === "MemberExpression" && !superclass.computed &&
      superclass.object.type === "Identifier" && superclass.property.type === "Identifier"
    ) {
      const ns = this.resolveLocal(file, superclass.object.name, depth + 1);
      r = ns && this.member(ns, superclass.property.name);
    }
    return r !== null && (r.kind === "errorClass" || (r.kind === "cairn" && authoringRole(r.name) === "errorClass"));
  }
}

function enumMember(e: Extract<Resolved, { kind: "enum" }>, name: string): Resolved | null {
  const value = e.members.get(name);
  return value === undefined ? null : { kind: "const", value };
}
