import type * as t from "@babel/types";
import type { Artifact } from "../../ir-schema/index.ts";
import { IR_VERSION } from "../../ir-schema/vocabulary.ts";
import { sealArtifactJson } from "../../ir-schema/hash.ts";
import type { WorkflowDef } from "../analyze/workflows.ts";
import type { ActionLocation, ChildLocation } from "../types.ts";
import { Lowerer, type LowerEnv } from "./lowerer.ts";
import { selfNameOf } from "../check/static-refs.ts";
import { binary, undef } from "./ir.ts";
import { lowerExpr } from "./expressions.ts";
import { assignPattern } from "./patterns.ts";
import { declareParams } from "../check/forms.ts";
import { lowerStatements } from "./statements.ts";
import { lowerReturn } from "./returns.ts";

export interface LoweredWorkflow {
  /** Null when the artifact failed validation (`invalid` says why). */
  artifact: Artifact | null;
  /** The artifact's canonical JSON (null with the artifact). */
  json: string | null;
  actions: ActionLocation[];
  /** Lowerer.errorRefs: expressions naming the error classes the body matches on. */
  errorRefs: ReadonlyMap<string, string>;
  /** The workflows it starts as children, and the modules declaring them. */
  children: ChildLocation[];
  /** Why the validator refused the artifact (CompileOptions.validate): a compiler bug, reported as CAIRN900. */
  invalid?: string;
}

/**
 * Parameters become `params`; a default value is applied when the input leaves it
 * undefined. Those with a default or `?` are `optional`: the input may leave them out.
 */
function lowerParams(L: Lowerer, fn: t.Function): { params: string[]; optional: string[] } {
  const params: string[] = [];
  const optional: string[] = [];
  const defaults: Array<{ name: string; param: t.AssignmentPattern }> = [];
  for (const { param: p, name } of declareParams(L.scopes, fn)) {
    // A pattern was reported by the check phase.
    if (name === null) continue;
    params.push(name);
    if (p.type === "AssignmentPattern" || (p.type === "Identifier" && p.optional)) optional.push(name);
    if (p.type === "AssignmentPattern") defaults.push({ name, param: p });
  }
  for (const { name, param } of defaults) {
    const loc = L.loc(param);
    const then = L.cfg.newBlock();
    const join = L.cfg.newBlock();
    L.cfg.terminate({ cond: binary("===", { kind: "var", name }, undef()), else: join.id, kind: "branch", loc, then: then.id });
    L.cfg.switchTo(then);
    assignPattern(L, param.left, lowerExpr(L, param.right), () => name);
    L.cfg.terminate({ kind: "jump", loc, to: join.id });
    L.cfg.switchTo(join);
  }
  return { params, optional };
}

/**
 * Lowers a workflow body the check phase passed (checkWorkflow, whose side table
 * is `env.table`) to its artifact. Total over checked input: it reports nothing.
 */
export function lowerWorkflow(def: WorkflowDef, env: LowerEnv): LoweredWorkflow {
  const L = new Lowerer({ ...env, self: selfNameOf(def) });
  const fn = def.fn;
  const { params, optional } = lowerParams(L, fn);
  const endLoc = fn.loc ? `${env.relFile}:${fn.loc.end.line}:${fn.loc.end.column + 1}` : L.loc(fn);
  if (fn.body.type === "BlockStatement") lowerStatements(L, fn.body.body);
  else lowerReturn(L, fn.body, fn.body);
  const program = L.cfg.finish(() => ({ kind: "return", loc: endLoc, value: undef() }));
  const actions = [...L.actions.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const errorRefs = L.errorRefs;
  const children = [...L.workflows].map(([name, file]) => ({ name, file }));
  // Keys in sorted order, like every IR node: sealing then serializes without copying (ir-schema/hash.ts).
  const { artifact, json } = sealArtifactJson({
    actions: actions.map((a) => a.name),
    errors: [...L.errors].sort(),
    irVersion: IR_VERSION,
    name: def.name,
    // Only when there are some: the artifacts (and hashes) of other workflows stay as they were.
    ...(optional.length > 0 ? { optional } : {}),
    params,
    program,
    source: env.relFile,
    // Only when there are some, like `optional`.
    ...(L.workflows.size > 0 ? { workflows: [...L.workflows.keys()].sort() } : {}),
  });
  const valid = env.validate ? env.validate(artifact, { hash: false }) : { ok: true as const };
  if (!valid.ok) {
    const detail = valid.errors.map((e) => `${e.path}: ${e.message}`).join("; ");
    return { artifact: null, json: null, actions, errorRefs, children, invalid: `invalid IR (${detail})` };
  }
  return { artifact, json, actions, errorRefs, children };
}
