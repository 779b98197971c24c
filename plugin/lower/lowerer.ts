import type * as t from "@babel/types";
import type { Expr, Instr } from "../../ir-schema/index.ts";
import type { ModuleGraph } from "../analyze/module-graph.ts";
import type { ArgsOf, Reporter, Span } from "../diagnostics/reporter.ts";
import type { SituationName } from "../diagnostics/situations.ts";
import type { ActionLocation, ArtifactValidator } from "../types.ts";
import { CfgBuilder, type DraftBlock } from "./cfg-builder.ts";
import { Scopes } from "./scopes.ts";

export interface LowerEnv {
  /** Absolute path of the compiled file. */
  file: string;
  /** Path relative to the project root, used in every `loc`. */
  relFile: string;
  source: string;
  graph: ModuleGraph;
  reporter: Reporter;
  form: "class" | "function";
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

export interface HandleInfo {
  action: string;
  isVoid: boolean;
}

type TempKind = "t" | "h" | "i" | "o" | "a" | "e" | "p" | "n";

/**
 * All state of lowering one workflow body. The lowering functions are free
 * functions over this object, grouped by construct (expressions, calls, loops...).
 */
export class Lowerer {
  readonly cfg = new CfgBuilder();
  readonly scopes = new Scopes();
  /** Counter vars of the enclosing loops, outermost first: the `iter` of every call. */
  readonly iter: string[] = [];
  readonly jumpTargets: JumpTarget[] = [];
  readonly actions = new Map<string, ActionLocation>();
  readonly errors = new Set<string>();
  /**
   * Source text of each module-level expression an `instanceof` matched an error
   * class by (`NotFound`, `errors.NotFound`), with the class name: what a bundler
   * pins the class's name through (module-layout.ts), from the same resolution.
   */
  readonly errorRefs = new Map<string, string>();
  /** Entries of `nonRetryable` lists, where an error class stands for its name (error-classes.ts). */
  readonly classNames = new WeakSet<t.Node>();
  /** Variables ever bound to an un-awaited action call (flow-insensitive). */
  readonly handles = new Map<string, HandleInfo>();
  /** Reads of local variables as values, and plain assignments; checked against `handles` at the end. */
  readonly valueUses: Array<{ irName: string; node: t.Node }> = [];
  readonly plainAssigns: Array<{ irName: string; node: t.Node }> = [];
  /** > 0 while lowering a `.map`/`.filter` callback body, which must stay a pure expression. */
  pureDepth = 0;
  private sites = 0;
  private logSites = 0;
  private readonly temps = new Map<TempKind, number>();
  private readonly awaitMemo = new WeakMap<t.Node, boolean>();
  /** Offsets of every `await` in the source text, ascending; made on first use. */
  private awaitOffsets: number[] | null = null;

  constructor(readonly env: LowerEnv) {}

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

  report<S extends SituationName>(name: S, at: Span | null, ...args: ArgsOf<S>): void {
    this.env.reporter.report(name, this.env.file, at, ...args);
  }

  /** Source text of a node for messages, shortened to one line. */
  text(node: t.Node): string {
    const raw = this.env.source.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, " ");
    return raw.length > 60 ? raw.slice(0, 57) + "..." : raw;
  }

  /**
   * False when the node's source text has no `await` in it, so it cannot contain
   * an AwaitExpression (the keyword cannot be escaped). Answers most of
   * containsAwait's questions with a binary search instead of a walk of the subtree.
   */
  mayAwait(node: t.Node): boolean {
    if (node.start == null || node.end == null) return true;
    const offsets = (this.awaitOffsets ??= offsetsOf(this.env.source, "await"));
    let lo = 0;
    let hi = offsets.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (offsets[mid] < node.start) lo = mid + 1;
      else hi = mid;
    }
    return lo < offsets.length && offsets[lo] < node.end;
  }

  memoAwait(node: t.Node, compute: () => boolean): boolean {
    let v = this.awaitMemo.get(node);
    if (v === undefined) {
      v = compute();
      this.awaitMemo.set(node, v);
    }
    return v;
  }
}

function offsetsOf(text: string, word: string): number[] {
  const out: number[] = [];
  for (let i = text.indexOf(word); i >= 0; i = text.indexOf(word, i + word.length)) out.push(i);
  return out;
}
