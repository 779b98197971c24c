import type * as t from "@babel/types";
import type { Expr, Instr } from "../../ir-schema/index.ts";
import type { ModuleGraph } from "../analyze/module-graph.ts";
import type { ActionLocation, ArtifactValidator } from "../types.ts";
import { sourceText, type CheckedBody } from "../check/checker.ts";
import type { CallContext } from "../check/calls.ts";
import type { SelfName } from "../check/static-refs.ts";
import { Scopes } from "../check/scopes.ts";
import { CfgBuilder, type DraftBlock } from "./cfg-builder.ts";

export interface LowerEnv {
  /** Absolute path of the compiled file. */
  file: string;
  /** Path relative to the project root, used in every `loc`. */
  relFile: string;
  source: string;
  graph: ModuleGraph;
  form: "class" | "function";
  /** What the check phase found in the body: lowering reads it rather than deciding again. */
  table: CheckedBody;
  /** Set by lowerWorkflow from the definition. */
  self?: SelfName | null;
  /** Checks the produced artifact (CompileOptions.validate). */
  validate?: ArtifactValidator;
}

/** Where `break` / `continue` go from inside a loop, switch or labelled block. */
export interface JumpTarget {
  kind: "loop" | "switch" | "label";
  labels: readonly string[];
  breakTo: DraftBlock;
  /** Null unless kind is "loop". */
  continueTo: DraftBlock | null;
}

type TempKind = "t" | "h" | "i" | "o" | "a" | "e" | "p" | "n";

/**
 * All state of lowering one workflow body. The lowering functions are free
 * functions over this object, grouped by construct (expressions, calls, loops...).
 * Lowering runs only on a body the check phase passed, and reports nothing.
 */
export class Lowerer implements CallContext {
  readonly cfg = new CfgBuilder();
  readonly scopes = new Scopes();
  /** Counter vars of the enclosing loops, outermost first: the `iter` of every call. */
  readonly iter: string[] = [];
  readonly jumpTargets: JumpTarget[] = [];
  readonly actions = new Map<string, ActionLocation>();
  /** The workflows the body starts as children: name -> the module declaring it. */
  readonly workflows = new Map<string, string>();
  readonly errors = new Set<string>();
  /**
   * Source text of each module-level expression an `instanceof` matched an error
   * class by (`NotFound`, `errors.NotFound`), with the class name: what a bundler
   * pins the class's name through (module-layout.ts), from the same resolution.
   */
  readonly errorRefs = new Map<string, string>();
  /** Entries of `nonRetryable` lists, where an error class stands for its name (error-classes.ts). */
  readonly classNames = new WeakSet<t.Node>();
  /** > 0 while lowering a `.map`/`.filter` callback body, which must stay a pure expression. */
  pureDepth = 0;
  private sites = 0;
  private logSites = 0;
  private readonly temps = new Map<TempKind, number>();
  readonly refs: CheckedBody["refs"];
  readonly calls: CheckedBody["calls"];
  readonly form: "class" | "function";

  constructor(readonly env: LowerEnv) {
    this.refs = env.table.refs;
    this.calls = env.table.calls;
    this.form = env.form;
  }

  loc(node: t.Node | null | undefined): string {
    const start = node?.loc?.start ?? { line: 1, column: 0 };
    return `${this.env.relFile}:${start.line}:${start.column + 1}`;
  }

  temp(kind: TempKind): string {
    const n = (this.temps.get(kind) ?? 0) + 1;
    this.temps.set(kind, n);
    return `%${kind}${n}`;
  }

  /** Call sites are numbered in the order they are lowered, which follows the source. */
  nextSite(): string {
    return `c${++this.sites}`;
  }

  /** Log statements are numbered apart from calls: adding one leaves the call ids as they were. */
  nextLogSite(): string {
    return `l${++this.logSites}`;
  }

  emit(instr: Instr): void {
    if (this.pureDepth > 0) throw new Error(`instruction emitted inside a pure callback at ${instr.loc}`);
    this.cfg.emit(instr);
  }

  assign(target: string, value: Expr, loc: string, path: Expr[] = []): void {
    this.emit({ kind: "assign", loc, path, target, value });
  }

  /** Source text of a node, shortened to one line (how errorRefs names an expression). */
  text(node: t.Node): string {
    return sourceText(this.env.source, node);
  }
}
