import { visit, type Expr, type ExprVisitor, type Item, type Json, type NodeOf } from "../../../ir-schema/index.ts";
import { typeError } from "../errors.ts";
import { isInstance } from "../error-boundary.ts";
import type { CallRecord } from "../state.ts";
import { getOwn, setOwn } from "../values.ts";
import { copyValue } from "../copy.ts";
import { RETRY_POLICY_DEFAULT_ATTEMPTS, normalizeRetry } from "../../../ir-schema/call-options.ts";
import { callBuiltin } from "./builtins.ts";
import { binaryOps, unaryOps } from "./operators.ts";
import { describe, getMember, propertyKey } from "./members.ts";
import { findMethod } from "./methods.ts";
import { toStr } from "./convert.ts";
import { runArrayFn } from "./array-fns.ts";
import { makeIterator } from "./iterate.ts";

/** Parameters of enclosing `arrayFn` arrows; they shadow workflow variables. */
export interface Local {
  name: string;
  value: unknown;
  next: Local | null;
}

export interface Scope {
  vars: Record<string, unknown>;
  calls: Record<string, CallRecord>;
  locals: Local | null;
}

/**
 * Evaluates a pure expression with JavaScript semantics. Errors JavaScript would
 * throw are thrown as `Raise` (catchable by the workflow) with V8's name and
 * message; native exceptions from delegated operations are converted by the caller.
 */
export function evaluate(expr: Expr, scope: Scope): unknown {
  return visit(evaluator, expr, scope);
}

export function lookup(name: string, scope: Scope): unknown {
  for (let l = scope.locals; l; l = l.next) if (l.name === name) return l.value;
  return getOwn(scope.vars, name);
}

/** Marks an optional chain (`a?.b.c`) that hit null/undefined: the whole chain is undefined. */
const SHORT: unique symbol = Symbol("short-circuit");

function evalChain(expr: Expr, scope: Scope): unknown {
  if (expr.kind === "member") {
    const object = evalChain(expr.object, scope);
    if (object === SHORT || (expr.optional && (object === null || object === undefined))) return SHORT;
    return getMember(object, propertyKey(evaluate(expr.property, scope)));
  }
  if (expr.kind === "method") {
    const object = evalChain(expr.object, scope);
    if (object === SHORT || (expr.optional && (object === null || object === undefined))) return SHORT;
    // Reading the method off null/undefined fails before the arguments are evaluated, as in JavaScript.
    if (object === null || object === undefined) getMember(object, expr.name);
    const method = findMethod(object, expr.name);
    if (!method) throw typeError(`${describe(expr.object)}.${expr.name} is not a function`);
    return method(evalItems(expr.args, scope));
  }
  return evaluate(expr, scope);
}

const endChain = (value: unknown): unknown => (value === SHORT ? undefined : value);

export function evalItems(items: Item[], scope: Scope): unknown[] {
  const out: unknown[] = [];
  for (const item of items) {
    if (item.kind !== "spread") {
      out.push(evaluate(item, scope));
      continue;
    }
    const value = evaluate(item.value, scope);
    if (Array.isArray(value)) for (const v of value) out.push(v);
    else if (typeof value === "string") out.push(...value);
    else throw typeError(`${describe(item.value)} is not iterable`);
  }
  return out;
}

function evalObject(node: NodeOf<Expr, "object">, scope: Scope): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const prop of node.props) {
    if (prop.kind === "prop") {
      const key = propertyKey(evaluate(prop.key, scope));
      setOwn(out, key, evaluate(prop.value, scope));
      continue;
    }
    const value = evaluate(prop.value, scope);
    if (typeof value === "string") [...value].forEach((ch, i) => setOwn(out, String(i), ch));
    else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) setOwn(out, key, (value as Record<string, unknown>)[key]);
    }
  }
  return out;
}

const evaluator: ExprVisitor<unknown, Scope> = {
  // A literal object or array is a new one at every evaluation, and never the artifact's own.
  lit: (n) => (typeof n.value === "object" && n.value !== null ? copyValue(n.value) : n.value),
  global: (n) => ({ undefined, NaN, Infinity })[n.name],
  var: (n, s) => lookup(n.name, s),
  member: (n, s) => endChain(evalChain(n, s)),
  method: (n, s) => endChain(evalChain(n, s)),
  builtin: (n, s) => callBuiltin(n.name, evalItems(n.args, s)),
  unary: (n, s) => unaryOps[n.op](evaluate(n.arg, s)),
  binary: (n, s) => {
    const left = evaluate(n.left, s);
    return binaryOps[n.op](left, evaluate(n.right, s));
  },
  logical: (n, s) => {
    const left = evaluate(n.left, s);
    switch (n.op) {
      case "&&":
        return left ? evaluate(n.right, s) : left;
      case "||":
        return left ? left : evaluate(n.right, s);
      case "??":
        return left === null || left === undefined ? evaluate(n.right, s) : left;
    }
  },
  cond: (n, s) => (evaluate(n.test, s) ? evaluate(n.then, s) : evaluate(n.else, s)),
  array: (n, s) => evalItems(n.items, s),
  object: (n, s) => evalObject(n, s),
  template: (n, s) => {
    let out = n.quasis[0] ?? "";
    n.exprs.forEach((e, i) => {
      out += toStr(evaluate(e, s)) + (n.quasis[i + 1] ?? "");
    });
    return out;
  },
  isError: (n, s) => isInstance(evaluate(n.value, s), n.className),
  arrayFn: (n, s) => runArrayFn(n, s),
  iter: (n, s) => makeIterator(evaluate(n.value, s), n.method, n.value),
  retryPolicy: (n, s) => {
    const options = evaluate(n.options, s) ?? {};
    const checked = normalizeRetry(options);
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(options as object)) setOwn(out, key, (options as Record<string, unknown>)[key]);
    if (checked.attempts === undefined) setOwn(out, "attempts", RETRY_POLICY_DEFAULT_ATTEMPTS);
    return out;
  },
};
