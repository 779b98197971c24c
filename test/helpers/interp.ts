/** Running hand-built IR through the interpreter without a runner. */
import type { Artifact, Expr, Json } from "../../ir-schema/index.ts";
import { advance, evaluate, start, type ErrorValue, type State } from "../../runtime/interpreter/index.ts";
import { returning } from "./ir-builders.ts";

/** Evaluates an expression directly (live JS values, e.g. NaN stays NaN). */
export function evalExpr(expr: Expr, vars: Record<string, Json> = {}): unknown {
  return evaluate(expr, { vars: structuredClone(vars), calls: {}, locals: null });
}

/** Runs a workflow that needs no actions and no waiting. */
export function runSync(artifact: Artifact, input: Record<string, unknown> = {}): State {
  const { state } = advance(artifact, start(artifact, input), 0);
  return state;
}

export type Result = { ok: true; value: Json | undefined } | { ok: false; error: ErrorValue };

/** `return expr` as a workflow taking `input` as parameters: the value as JSON carries it, or the error. */
export function run(expr: Expr, input: Record<string, Json> = {}): Result {
  const state = runSync(returning(expr, Object.keys(input)), input);
  if (state.status === "completed") return { ok: true, value: state.result };
  if (state.status === "failed") return { ok: false, error: state.error! };
  throw new Error(`unexpected status ${state.status}`);
}

/** The error (name and message) a `return expr` workflow fails with. */
export function failure(expr: Expr, input: Record<string, Json> = {}): { name: string; message: string } {
  const r = run(expr, input);
  if (r.ok) throw new Error(`expected a failure, got ${JSON.stringify(r.value)}`);
  return { name: r.error.name, message: r.error.message };
}

export function value(expr: Expr, input: Record<string, Json> = {}): Json | undefined {
  const r = run(expr, input);
  if (!r.ok) throw new Error(`expected a value, got ${r.error.name}: ${r.error.message}`);
  return r.value;
}
