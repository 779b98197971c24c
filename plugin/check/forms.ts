import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import { ArrayFns, Authoring, IterMethods, LogLevels, TIMER_SLEEP } from "../../ir-schema/vocabulary.ts";
import type { Scopes, BindingKind } from "./scopes.ts";
import { staticRef, type RefContext } from "./static-refs.ts";
import { dispatchOf, type CallContext, type DispatchCall } from "./calls.ts";

/*
 * The shapes of the constructs a workflow body is made of, as both the check
 * phase and lowering recognise them: each is decided once, here.
 */

const ARRAY_FNS: ReadonlySet<string> = new Set(ArrayFns);
type LogLevel = (typeof LogLevels)[number];
const LOG_LEVELS: ReadonlySet<string> = new Set(LogLevels);

/** `xs.map(...)`, `xs.filter(...)`, ... with a function argument: the only calls whose argument may be a function. */
export function isArrayFnCall(node: t.Node): node is t.CallExpression {
  const n = unwrapTs(node as t.Expression);
  if (n.type !== "CallExpression") return false;
  const c = n.callee;
  return (
    c.type === "MemberExpression" && !c.computed && c.property.type === "Identifier" && ARRAY_FNS.has(c.property.name) &&
    (n.arguments[0]?.type === "ArrowFunctionExpression" || n.arguments[0]?.type === "FunctionExpression")
  );
}

/** Identifiers a binding pattern declares. */
export function patternNames(p: t.Node, out: t.Identifier[] = []): t.Identifier[] {
  switch (p.type) {
    case "Identifier":
      out.push(p);
      break;
    case "AssignmentPattern":
      patternNames(p.left, out);
      break;
    case "RestElement":
      patternNames(p.argument, out);
      break;
    case "ArrayPattern":
      for (const el of p.elements) if (el) patternNames(el, out);
      break;
    case "ObjectPattern":
      for (const prop of p.properties) patternNames(prop.type === "RestElement" ? prop : prop.value, out);
      break;
  }
  return out;
}

/**
 * Declares a block's `let`/`const` bindings before its statements, as JavaScript
 * scopes them: a use before the declaration refers to the inner binding.
 */
export function hoistDeclarations(scopes: Scopes, stmts: readonly t.Statement[]): void {
  for (const s of stmts) {
    // Rejected declarations still bind their name, so uses are not reported twice.
    if ((s.type === "FunctionDeclaration" || s.type === "ClassDeclaration") && s.id) scopes.declare(s.id.name, "const");
    if (s.type !== "VariableDeclaration") continue;
    const kind: BindingKind = s.kind === "const" ? "const" : "let";
    for (const d of s.declarations) for (const id of patternNames(d.id)) scopes.declare(id.name, kind);
  }
}

/** `"console.warn"` → `"warn"`; null for any other global. */
export function logMethodLevel(dotted: string): LogLevel | null {
  const parts = dotted.split(".");
  return parts.length === 2 && parts[0] === "console" && LOG_LEVELS.has(parts[1]) ? (parts[1] as LogLevel) : null;
}

/** The level of a `console.log(...)` / info / warn / error / debug call (the global `console`, not a local of that name). */
export function logLevel(L: RefContext, call: t.CallExpression | t.OptionalCallExpression): LogLevel | null {
  const r = staticRef(L, call.callee);
  return r?.kind === "global" ? logMethodLevel(r.dotted) : null;
}

export type ParallelMode = "all" | "allSettled";

export function parallelMode(L: RefContext, call: t.CallExpression): ParallelMode | null {
  const r = staticRef(L, call.callee);
  if (r?.kind !== "global") return null;
  return r.dotted === "Promise.all" ? "all" : r.dotted === "Promise.allSettled" ? "allSettled" : null;
}

/** `publish(key, value)`: a statement, the one primitive that does not wait. */
export function isPublish(L: RefContext, call: t.CallExpression | t.OptionalCallExpression): boolean {
  const r = staticRef(L, call.callee);
  return r?.kind === "module" && r.resolved.kind === "cairn" && r.resolved.name === Authoring.publish;
}

/** `sleep(d)`, or `setTimeout(ms)` from node:timers/promises. */
export function isSleep(L: RefContext, call: t.CallExpression): boolean {
  const r = staticRef(L, call.callee);
  if (r?.kind !== "module") return false;
  return (r.resolved.kind === "cairn" && r.resolved.name === Authoring.sleep) || (r.resolved.kind === "timers" && r.resolved.name === TIMER_SLEEP);
}

export interface FanOut {
  source: t.Expression;
  param: t.Identifier;
  index: t.Identifier | null;
  body: DispatchCall;
  node: t.CallExpression;
}

/**
 * `xs.map((x[, i]) => act(x))`, also with `async`, `await`, a `{ return ...; }` body
 * or `runAction(...)`; the body may be any dispatching call (a child workflow,
 * `receive`, `send`).
 */
export function matchFanOut(L: CallContext, node: t.Expression): FanOut | null {
  const body = fanOutBody(node);
  const ac = body && dispatchOf(L, body);
  if (!body || !ac || ac === "invalid") return null;
  const callee = (node as t.CallExpression).callee as t.MemberExpression;
  const params = ((node as t.CallExpression).arguments[0] as t.ArrowFunctionExpression | t.FunctionExpression).params;
  return {
    source: callee.object as t.Expression,
    param: params[0] as t.Identifier,
    index: (params[1] as t.Identifier | undefined) ?? null,
    body: ac,
    node: node as t.CallExpression,
  };
}

/** The expression a `xs.map((x[, i]) => ...)` callback gives (`await` and a `{ return ...; }` body taken off), or null for any other shape. */
export function fanOutBody(node: t.Expression): t.Expression | null {
  if (node.type !== "CallExpression" || node.arguments.length !== 1) return null;
  const callee = node.callee;
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier" || callee.property.name !== "map") return null;
  const fn = node.arguments[0];
  if (fn.type !== "ArrowFunctionExpression" && fn.type !== "FunctionExpression") return null;
  const params = fn.params;
  if (params.length < 1 || params.length > 2 || params.some((p) => p.type !== "Identifier")) return null;
  let body: t.Node = fn.body;
  if (body.type === "BlockStatement") {
    const only = body.body.length === 1 ? body.body[0] : null;
    if (only?.type !== "ReturnStatement" || !only.argument) return null;
    body = only.argument;
  }
  body = unwrapTs(body as t.Expression);
  return body.type === "AwaitExpression" ? unwrapTs(body.argument) : body;
}

/** `for (const x of xs.entries())` (also keys/values): the array and the method, iterated live. */
export function iterMethodCall(L: RefContext, right: t.Expression): { object: t.Expression; method: IterMethod } | null {
  if (
    right.type === "CallExpression" && right.arguments.length === 0 &&
    right.callee.type === "MemberExpression" && !right.callee.computed &&
    right.callee.property.type === "Identifier" && ITER_METHODS.has(right.callee.property.name) &&
    staticRef(L, right.callee) === null
  ) {
    return { object: right.callee.object as t.Expression, method: right.callee.property.name as IterMethod };
  }
  return null;
}
type IterMethod = (typeof IterMethods)[number];
const ITER_METHODS: ReadonlySet<string> = new Set(IterMethods);

/** A call argument that is a plain expression (not a spread or a placeholder). */
export function isExpressionArg(a: t.Node | undefined): a is t.Expression {
  return a !== undefined && a.type !== "SpreadElement" && a.type !== "ArgumentPlaceholder";
}

/**
 * The loop, switch or labelled statement a `break` / `continue` leaves, innermost
 * first: by label when it has one; else a `break` leaves the innermost loop or
 * switch, a `continue` the innermost loop. Null when there is none.
 */
export function jumpTargetOf<T extends { kind: "loop" | "switch" | "label"; labels: readonly string[] }>(
  targets: readonly T[], s: t.BreakStatement | t.ContinueStatement,
): T | null {
  const isBreak = s.type === "BreakStatement";
  const label = s.label?.name ?? null;
  for (let i = targets.length - 1; i >= 0; i--) {
    const target = targets[i];
    if (label ? target.labels.includes(label) : isBreak ? target.kind !== "label" : target.kind === "loop") return target;
  }
  return null;
}

export const LOGICAL_ASSIGN: ReadonlySet<string> = new Set(["&&=", "||=", "??="]);

/** The IR variable an identifier in a pattern writes to (a declared or an existing local), or null when it names none. */
export type Bind = (id: t.Identifier) => string | null;

/** Binds each identifier of a `let`/`const` (or rejected `var`) declaration as a fresh variable of the innermost scope. */
export function declaring(scopes: Scopes, kind: t.VariableDeclaration["kind"]): (id: t.Identifier) => string {
  const binding: BindingKind = kind === "const" ? "const" : "let";
  return (id) => scopes.declare(id.name, binding).irName;
}

/**
 * What a `for...of` / `for...in` writes each element to: a declaration's pattern,
 * its names declared in the loop's scope, or existing targets, bound by `existing`.
 */
export function loopTarget(scopes: Scopes, left: t.ForXStatement["left"], existing: Bind): { pattern: t.Node; bind: Bind } {
  if (left.type !== "VariableDeclaration") return { pattern: left, bind: existing };
  const pattern = left.declarations[0].id;
  const bind = declaring(scopes, left.kind);
  for (const id of patternNames(pattern)) bind(id);
  return { pattern, bind };
}

/**
 * Declares a workflow's parameters in the body's outermost scope, each with its IR
 * name: null for anything but `x` or `x = default` (rejected, its names declared
 * all the same so uses in the body are not reported a second time).
 */
export function declareParams(scopes: Scopes, fn: t.Function): Array<{ param: t.Function["params"][number]; name: string | null }> {
  return fn.params.map((param) => {
    const id = param.type === "Identifier" ? param : param.type === "AssignmentPattern" && param.left.type === "Identifier" ? param.left : null;
    if (id) return { param, name: scopes.declare(id.name, "param").irName };
    for (const n of patternNames(param)) scopes.declare(n.name, "param");
    return { param, name: null };
  });
}

/** The array of `xs.push(a, b)` / `o.list.push(x)` (TypeScript wrappers taken off); null for any other call. */
export function pushedArray(call: t.CallExpression): t.Expression | null {
  const callee = call.callee;
  if (callee.type !== "MemberExpression" || callee.computed || callee.property.type !== "Identifier" || callee.property.name !== "push") {
    return null;
  }
  return unwrapTs(callee.object);
}

/**
 * `a.b[c].d` as an assignment target: its root (`a`, wrappers taken off) and its
 * member links from the root outwards; null when a link is a private name.
 */
export function memberChain(target: t.MemberExpression): { root: t.Expression; links: t.MemberExpression[] } | null {
  const links: t.MemberExpression[] = [];
  let cur: t.Expression = target;
  while (cur.type === "MemberExpression") {
    if (cur.property.type === "PrivateName") return null;
    links.unshift(cur);
    cur = unwrapTs(cur.object);
  }
  return { root: cur, links };
}

/** The name of a non-computed property key (`a`, `"a"`, `1`); null for any other key. */
export function propertyKeyName(key: t.Node): string | null {
  if (key.type === "Identifier") return key.name;
  if (key.type === "StringLiteral") return key.value;
  if (key.type === "NumericLiteral") return String(key.value);
  return null;
}
