import type * as t from "@babel/types";
import type { ConstTree, ConstValue } from "./const-fold.ts";
import { TimerModules } from "../../ir-schema/vocabulary.ts";

/** TimerModules, for lookups. */
export const TIMER_SPECIFIERS: ReadonlySet<string> = new Set(TimerModules);

/**
 * What a module-level binding is, as far as a workflow body is concerned. Holds
 * positions rather than syntax nodes (a superclass expression aside): a cached
 * summary outlives its module's syntax tree (ModuleCache.release), which a node
 * reference would keep alive.
 */
export type Decl =
  | ({ kind: "action" } & ActionShape)
  | {
      /**
       * `const x = f(...)` where `f` is imported from one of the project's modules:
       * an action when `f` is cairn's `action` re-exported there (`export { action }
       * from "cairnjs"` in a module of the user's), which only the module graph can
       * tell (ModuleGraph.declaredAction); else what `what` says.
       */
      kind: "call";
      callee: { local: string; member: string | null };
      action: ActionShape;
      what: string;
    }
  | {
      kind: "class";
      className: string;
      superclass: t.Expression | null;
      /** Offset just after the class body's `{`. */
      bodyStart: number;
      /** The workflow's name when the class is decorated `@workflow` / `@workflow("name")`. */
      workflow?: string;
    }
  | { kind: "enum"; members: ReadonlyMap<string, string | number> }
  | { kind: "const"; value: ConstValue }
  /** `const X = <constant expression>`, folded by the module graph, which sees the other constants it names. */
  | { kind: "constExpr"; tree: ConstTree }
  /**
   * `workflow`: the name of the workflow a `const x = workflow(...)` declares (what
   * a child workflow call names); null while it is the binding's, filled in by
   * the module's summary.
   */
  | { kind: "other"; what: string; workflow?: string | null };

/** What an `action(...)` call declares. */
export interface ActionShape {
  name: string | null;
  isVoid: boolean;
  /** The `action(...)` call's location, for diagnostics. */
  span: { loc: t.SourceLocation | null | undefined };
  /** Offset of the first argument when it is not a string literal: where a transform inserts the name. */
  nameInsertAt: number | null;
}

export interface ImportBinding {
  source: string;
  /** The imported name, "default", or "*" for a namespace import. */
  imported: string;
}

export type ExportEntry = { local: string } | { from: string; imported: string };

/** Everything compile() needs to know about one module, computed once per file text. */
export interface ModuleSummary {
  imports: ReadonlyMap<string, ImportBinding>;
  decls: ReadonlyMap<string, Decl>;
  exports: ReadonlyMap<string, ExportEntry>;
  starExports: readonly string[];
}
