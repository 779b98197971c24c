import type * as t from "@babel/types";

/** The `cairn` exports a workflow body may reference. */
export const CAIRN_SPECIFIER = "cairn";
export const TIMER_SPECIFIERS: ReadonlySet<string> = new Set(["node:timers/promises", "timers/promises"]);

/** What a module-level binding is, as far as a workflow body is concerned. */
export type Decl =
  | { kind: "action"; name: string | null; isVoid: boolean; node: t.Node }
  | { kind: "class"; className: string; superclass: t.Expression | null; node: t.Node }
  | { kind: "enum"; members: ReadonlyMap<string, string | number>; node: t.Node }
  | { kind: "const"; value: string | number | boolean | null; node: t.Node }
  | { kind: "other"; what: string; node: t.Node };

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
