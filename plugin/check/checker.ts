import type * as t from "@babel/types";
import type { ModuleGraph } from "../analyze/module-graph.ts";
import type { WorkflowDef } from "../analyze/workflows.ts";
import type { ArgsOf, Reporter, Span } from "../diagnostics/reporter.ts";
import type { SituationName } from "../diagnostics/situations.ts";
import type { ActionLocation } from "../types.ts";
import { Scopes } from "./scopes.ts";
import { AwaitIndex } from "./await-index.ts";
import { selfNameOf, type SelfName, type StaticRef } from "./static-refs.ts";
import type { CallContext, Dispatch } from "./calls.ts";
import { declareParams } from "./forms.ts";
import { checkExpr } from "./expressions.ts";
import { checkPattern } from "./assignments.ts";
import { checkStatements } from "./statements.ts";
import { checkReturnValue, checkReturnedLocals } from "./returns.ts";

export interface CheckEnv {
  /** Absolute path of the compiled file. */
  file: string;
  source: string;
  graph: ModuleGraph;
  reporter: Reporter;
  form: "class" | "function";
  /** Set by checkWorkflow from the definition. */
  self?: SelfName | null;
}

/**
 * What the check phase found in one workflow body, keyed by syntax node: what
 * each reference resolves to and what each call dispatches. Lowering walks the
 * same scopes and reads these instead of deciding again.
 */
export interface CheckedBody {
  refs: Map<t.Node, StaticRef | null>;
  calls: Map<t.Node, Dispatch>;
  awaits: AwaitIndex;
  /** Values a `return` gives back still pending (`return load(id)`), which it awaits as JavaScript does (returns.ts). */
  awaitedReturns: ReadonlySet<t.Node>;
}

/** The result of checking a workflow: the side table, and whether it may be lowered (no errors). */
export interface CheckResult {
  table: CheckedBody;
  ok: boolean;
}

/** A variable bound to an un-awaited call: what it dispatches and its callee's text. */
export interface HandleInfo {
  kind: "action" | "child" | "receive" | "send";
  callee: string;
  isVoid: boolean;
}

/**
 * State of checking one workflow body: the same scopes lowering will build, the
 * jump targets, the handle variables, and the side table it fills. The check
 * functions are free functions over it, grouped like lowering's.
 */
export class Checker implements CallContext {
  readonly scopes = new Scopes();
  readonly refs = new Map<t.Node, StaticRef | null>();
  readonly calls = new Map<t.Node, Dispatch>();
  readonly awaits: AwaitIndex;
  readonly jumpTargets: Array<{ kind: "loop" | "switch" | "label"; labels: readonly string[] }> = [];
  /** Entries of `nonRetryable` lists, where an error class stands for its name. */
  readonly classNames = new WeakSet<t.Node>();
  /** Variables ever bound to an un-awaited call (flow-insensitive). */
  readonly handles = new Map<string, HandleInfo>();
  /** Reads of local variables as values, and plain assignments; checked against `handles` at the end. */
  readonly valueUses: Array<{ irName: string; node: t.Node; published?: boolean }> = [];
  readonly plainAssigns: Array<{ irName: string; node: t.Node }> = [];
  /** Local variables a `return` gives back: awaited if they hold a pending call, known only at the end (checkHandles). */
  readonly returnedLocals: Array<{ irName: string; node: t.Identifier; inTry: boolean }> = [];
  /** The side table's `awaitedReturns`. */
  readonly awaitedReturns = new Set<t.Node>();
  /**
   * > 0 inside a `try` block (or a `catch` body whose `try` has a `finally`): there
   * a returned pending call would escape the `catch`/`finally` in JavaScript.
   */
  tryDepth = 0;
  /** The actions called so far, by name: two call sites of one name must be one action. */
  readonly actions = new Map<string, ActionLocation>();
  /** > 0 inside a `.map`/`.filter` callback body, which must stay a pure expression. */
  pureDepth = 0;
  readonly form: "class" | "function";

  constructor(readonly env: CheckEnv) {
    this.awaits = new AwaitIndex(env.source);
    this.form = env.form;
  }

  report<S extends SituationName>(name: S, at: Span | null, ...args: ArgsOf<S>): void {
    this.env.reporter.report(name, this.env.file, at, ...args);
  }

  /** Source text of a node for messages, shortened to one line. */
  text(node: t.Node): string {
    return sourceText(this.env.source, node);
  }
}

/** Source text of a node for messages, shortened to one line. */
export function sourceText(source: string, node: t.Node): string {
  const raw = source.slice(node.start ?? 0, node.end ?? 0).replace(/\s+/g, " ");
  return raw.length > 60 ? raw.slice(0, 57) + "..." : raw;
}

/**
 * Checks one workflow body against every rule of what a workflow may contain,
 * reporting each problem, and classifies its references and calls for lowering.
 */
export function checkWorkflow(def: WorkflowDef, env: CheckEnv): CheckResult {
  const before = env.reporter.errorCount;
  const C = new Checker({ ...env, self: selfNameOf(def) });
  const fn = def.fn;
  if (fn.generator) C.report("generatorBody", fn);
  checkParams(C, fn);
  if (fn.body.type === "BlockStatement") checkStatements(C, fn.body.body);
  else checkReturnValue(C, fn.body);
  checkHandles(C);
  checkReturnedLocals(C);
  return { table: { refs: C.refs, calls: C.calls, awaits: C.awaits, awaitedReturns: C.awaitedReturns }, ok: env.reporter.errorCount === before };
}

/** Parameters are plain identifiers, each with an optional default value. */
function checkParams(C: Checker, fn: t.Function): void {
  const defaults: Array<{ name: string; param: t.AssignmentPattern }> = [];
  for (const { param: p, name } of declareParams(C.scopes, fn)) {
    if (name === null) C.report("workflowParam", p, { param: C.text(p) });
    else if (p.type === "AssignmentPattern") defaults.push({ name, param: p });
  }
  for (const { name, param } of defaults) {
    checkExpr(C, param.right);
    checkPattern(C, param.left, () => name);
  }
}

/** Flow-insensitive handle rule: a variable bound to an un-awaited call may only be awaited. */
function checkHandles(C: Checker): void {
  const asValue = { action: "handleVarAsValue", child: "childVarAsValue", receive: "receiveVarAsValue", send: "sendVarAsValue" } as const;
  for (const use of C.valueUses) {
    const h = C.handles.get(use.irName);
    if (!h) continue;
    const name = use.node.type === "Identifier" ? use.node.name : use.irName;
    C.report(use.published ? "publishHandleVar" : asValue[h.kind], use.node, { name, callee: h.callee });
  }
  for (const a of C.plainAssigns) {
    const h = C.handles.get(a.irName);
    if (!h) continue;
    C.report(h.kind === "action" ? "handleVarReassigned" : "stepVarReassigned", a.node, { name: a.irName, callee: h.callee });
  }
}
