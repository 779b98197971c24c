import { isBuiltin } from "node:module";
import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import { ArrayFns, Authoring, BinaryOps, ReceiveOptionKeys, TIMER_SLEEP, authoringRole } from "../../ir-schema/vocabulary.ts";
import { BuiltinConstants, BuiltinFunctions, MethodNames } from "../../ir-schema/builtins.ts";
import type { Checker } from "./checker.ts";
import { describe, isNondeterministic, localBinding, staticRef, type StaticRef } from "./static-refs.ts";
import { isRunAction, dispatchOf, workflowOf, type ActionCall, type DispatchCall } from "./calls.ts";
import { errorClassOf, markNonRetryable } from "./error-classes.ts";
import { fanOutBody, isArrayFnCall, isExpressionArg, isPublish, isSleep, logMethodLevel, matchFanOut, parallelMode, type ParallelMode } from "./forms.ts";
import { actionLocation, describeAction, importPath, sameAction } from "./actions.ts";

const BINARY: ReadonlySet<string> = new Set(BinaryOps);
const BUILTINS: ReadonlySet<string> = new Set(BuiltinFunctions);
const ARRAY_FNS: ReadonlySet<string> = new Set(ArrayFns);
const GLOBAL_VALUES: ReadonlySet<string> = new Set(["undefined", "NaN", "Infinity"]);
/** `Math`, `JSON`, `Number`...: the objects whose members are builtins. */
const BUILTIN_NAMESPACES: ReadonlySet<string> = new Set(
  [...BuiltinFunctions, ...Object.keys(BuiltinConstants)].filter((n) => n.includes(".")).map((n) => n.split(".")[0]),
);

/** The un-awaited call of a child workflow, `receive` or `send` used as a value. */
const AS_VALUE = { child: "childAsValue", receive: "receiveAsValue", send: "sendAsValue" } as const;

function exampleOf(namespace: string): string {
  return BuiltinFunctions.find((n) => n.startsWith(`${namespace}.`)) ?? namespace;
}

/** Checks an expression in an ordinary value position. */
export function checkExpr(C: Checker, input: t.Node): void {
  const node = unwrapTs(input as t.Expression);
  switch (node.type) {
    case "NumericLiteral":
    case "StringLiteral":
    case "BooleanLiteral":
    case "NullLiteral":
      return;
    case "Identifier": {
      const local = localBinding(C, node);
      if (local) C.valueUses.push({ irName: local.irName, node });
      else checkStaticValue(C, node, staticRef(C, node) ?? { kind: "global", dotted: node.name });
      return;
    }
    case "ThisExpression":
    case "MemberExpression":
    case "OptionalMemberExpression":
      return checkMember(C, node);
    case "TemplateLiteral":
      for (const e of node.expressions) checkExpr(C, e);
      return;
    case "ArrayExpression":
      return checkItems(C, node.elements);
    case "ObjectExpression":
      for (const p of node.properties) {
        if (p.type === "SpreadElement") checkExpr(C, p.argument);
        else if (p.type === "ObjectMethod") C.report(p.kind === "method" ? "objectMethod" : p.kind === "get" ? "objectGetter" : "objectSetter", p);
        else {
          if (p.computed) checkExpr(C, p.key);
          checkExpr(C, p.value);
        }
      }
      return;
    case "UnaryExpression":
      if (node.operator === "delete") C.report("deleteOperator", node);
      else if (node.operator === "throw") C.report("throwExpression", node);
      else checkExpr(C, node.argument);
      return;
    case "BinaryExpression":
      if (node.operator === "instanceof") return checkInstanceof(C, node);
      if (node.left.type === "PrivateName") C.report("privateIn", node);
      else if (!BINARY.has(node.operator)) C.report("unsupportedOperator", node, { operator: node.operator });
      else {
        checkExpr(C, node.left);
        checkExpr(C, node.right);
      }
      return;
    case "LogicalExpression":
      checkExpr(C, node.left);
      checkExpr(C, node.right);
      return;
    case "ConditionalExpression":
      checkExpr(C, node.test);
      checkExpr(C, node.consequent);
      checkExpr(C, node.alternate);
      return;
    case "AwaitExpression":
      return checkAwait(C, node, "value");
    case "CallExpression":
    case "OptionalCallExpression":
      return checkCall(C, node);
    case "NewExpression":
      return checkNew(C, node);
    case "AssignmentExpression":
    case "UpdateExpression":
      C.report("assignInExpression", node, { code: C.text(node) });
      return;
    case "ArrowFunctionExpression":
      C.report("arrowFunction", node);
      return;
    case "FunctionExpression":
      C.report(node.generator ? "generatorFunction" : "functionExpression", node);
      return;
    case "YieldExpression":
      C.report("yieldExpression", node);
      return;
    case "ClassExpression":
      C.report("classExpression", node);
      return;
    case "SequenceExpression":
      C.report("commaOperator", node);
      return;
    case "TaggedTemplateExpression":
      C.report("taggedTemplate", node, { tag: C.text(node.tag) });
      return;
    case "RegExpLiteral":
      C.report("regexLiteral", node);
      return;
    case "BigIntLiteral":
      C.report("bigintLiteral", node);
      return;
    case "Import":
    case "ImportExpression":
      C.report("dynamicImport", node);
      return;
    default:
      C.report("unsupportedExpression", node, { expression: C.text(node), type: node.type });
  }
}

/** Array elements / call arguments, with spreads and holes. */
export function checkItems(C: Checker, elements: ReadonlyArray<t.Node | null>): void {
  for (const el of elements) {
    if (!el) continue;
    checkExpr(C, el.type === "SpreadElement" ? el.argument : el);
  }
}

function checkMember(C: Checker, node: t.MemberExpression | t.OptionalMemberExpression | t.ThisExpression): void {
  const r = staticRef(C, node);
  if (r) return checkStaticValue(C, node, r);
  if (node.type === "ThisExpression") return checkStaticValue(C, node, { kind: "this", dotted: "this" });
  if (node.property.type === "PrivateName") {
    C.report("privateField", node);
    return;
  }
  checkExpr(C, node.object);
  if (node.computed) checkExpr(C, node.property);
}

/**
 * A statically resolved reference used as a value: constants, enum members,
 * `undefined`/`NaN`/`Infinity` and builtin constants are values; everything else
 * is reported.
 */
function checkStaticValue(C: Checker, node: t.Node, r: StaticRef): void {
  if (C.classNames.has(node) && errorClassOf(C, node) !== null) return;
  if (r.kind === "global") {
    if (GLOBAL_VALUES.has(r.dotted) || r.dotted in BuiltinConstants) return;
    if (isNondeterministic(r.dotted)) C.report("nondeterministicGlobal", node, { name: r.dotted });
    // `Math` and `Math.max` are defined: what is missing is their use as values.
    else if (BUILTINS.has(r.dotted)) C.report("builtinFunctionAsValue", node, { name: r.dotted });
    else if (BUILTIN_NAMESPACES.has(r.dotted)) C.report("builtinNamespaceAsValue", node, { name: r.dotted, example: exampleOf(r.dotted) });
    else C.report("unknownGlobal", node, { name: r.dotted });
    return;
  }
  if (r.kind === "this") {
    C.report("thisMember", node, { member: r.dotted });
    return;
  }
  const res = r.resolved;
  const name = r.text;
  if (res.kind === "const") return;
  if (res.kind === "action") C.report("actionAsValue", node, { name });
  else if (res.kind === "errorClass") C.report("errorClassAsValue", node, { name });
  else if (res.kind === "enum") C.report("enumAsValue", node, { name });
  else C.report("moduleBinding", node, { name, what: describe(res) });
}

function checkInstanceof(C: Checker, node: t.BinaryExpression): void {
  const found = errorClassOf(C, node.right);
  checkExpr(C, node.left);
  if (!found) C.report("instanceofNonError", node.right, { right: C.text(node.right) });
}

/** "value": the awaited result is used; "discard": `await x;` as a statement. */
export type Use = "value" | "discard";

/** What may be awaited: a dispatching call, `Promise.all`, `sleep`, a handle variable, or any value. */
export function checkAwait(C: Checker, node: t.AwaitExpression, use: Use): void {
  if (C.pureDepth > 0) {
    C.report("awaitInCallback", node);
    return;
  }
  const arg = unwrapTs(node.argument);
  const ac = dispatchOf(C, arg);
  if (ac === "invalid") return reportInvalidCall(C, arg as t.CallExpression);
  if (ac) {
    if (use === "value" && ac.kind === "action" && ac.action.isVoid) C.report("voidResult", node, { name: ac.callee });
    checkDispatch(C, ac);
    return;
  }
  if (arg.type === "CallExpression") {
    const mode = parallelMode(C, arg);
    if (mode) return checkParallel(C, arg, mode);
    if (isSleep(C, arg)) return checkSleep(C, arg);
    if (isPublish(C, arg)) return C.report("publishAwaited", arg, { call: C.text(arg) });
  }
  const local = localBinding(C, arg);
  if (local) {
    const handle = C.handles.get(local.irName);
    if (use === "value" && handle?.isVoid) C.report("voidResult", node, { name: handle.callee });
    return;
  }
  checkExpr(C, arg);
}

function checkSleep(C: Checker, call: t.CallExpression): void {
  const [duration, ...rest] = call.arguments;
  if (!isExpressionArg(duration) || rest.length > 1) {
    C.report("sleepArguments", call, { call: C.text(call) });
    return;
  }
  checkExpr(C, duration);
  // `setTimeout(ms, value)` from timers/promises resolves to `value`.
  if (isExpressionArg(rest[0])) checkExpr(C, rest[0]);
}

/**
 * Reports a call classified "invalid": a malformed `runAction(...)` (and one
 * nested in its first argument), a workflow class called as a function, a
 * `runWorkflow` of something that is not a workflow, `receive` or `send` with
 * the wrong arguments.
 */
export function reportInvalidCall(C: Checker, node: t.CallExpression): void {
  const call = C.text(node);
  if (!isRunAction(C, node.callee)) {
    const r = staticRef(C, node.callee);
    const res = r?.kind === "module" ? r.resolved : null;
    if (r?.kind === "module" && res && workflowOf(res, C.env.file)) C.report("classWorkflowCalled", node, { call, name: r.text });
    else if (res?.kind === "cairn" && res.name === Authoring.runWorkflow) {
      C.report(isExpressionArg(node.arguments[0]) ? "runWorkflowTarget" : "runWorkflowArguments", node, { call });
    }
    else if (res?.kind === "cairn" && res.name === Authoring.receive) C.report("receiveArguments", node, { call });
    else if (res?.kind === "cairn" && res.name === Authoring.send) C.report("sendArguments", node, { call });
    return;
  }
  C.report("runActionArguments", node, { call });
  const inner = node.arguments[0] ? unwrapTs(node.arguments[0] as t.Expression) : null;
  if (inner?.type === "CallExpression" && C.calls.get(inner) === "invalid") reportInvalidCall(C, inner);
}

/** A dispatched call (an action, a child workflow, `receive`, `send`): its arguments, and what it calls. */
export function checkDispatch(C: Checker, d: DispatchCall): void {
  switch (d.kind) {
    case "action":
      return checkActionCall(C, d);
    case "child":
      return checkItems(C, d.args);
    case "receive":
      checkExpr(C, d.topic);
      if (d.options) checkReceiveOptions(C, d.call, d.options);
      return;
    case "send":
      checkExpr(C, d.instance);
      checkExpr(C, d.topic);
      checkExpr(C, d.message);
  }
}

const RECEIVE_OPTIONS: ReadonlySet<string> = new Set(ReceiveOptionKeys);

/** `{ timeout }`, or any expression holding the options (read at run time). */
function checkReceiveOptions(C: Checker, call: t.CallExpression, options: t.Expression): void {
  const o = unwrapTs(options);
  if (o.type !== "ObjectExpression") return checkExpr(C, o);
  for (const p of o.properties) {
    if (p.type !== "ObjectProperty" || p.computed) {
      C.report("receiveOptionsShape", p, { call: C.text(call) });
      continue;
    }
    const key = p.key.type === "Identifier" ? p.key.name : p.key.type === "StringLiteral" ? p.key.value : C.text(p.key);
    if (!RECEIVE_OPTIONS.has(key)) C.report("receiveOption", p.key, { key, keys: ReceiveOptionKeys.map((k) => `\`${k}\``).join(", ") });
    else checkExpr(C, p.value);
  }
}

/** `publish(key, value)` as a statement: the value is a value, never a pending call. */
export function checkPublish(C: Checker, call: t.CallExpression): void {
  const [key, value, ...rest] = call.arguments;
  if (!isExpressionArg(key) || !isExpressionArg(value) || rest.length > 0) {
    C.report("publishArguments", call, { call: C.text(call) });
    return;
  }
  checkExpr(C, key);
  const v = unwrapTs(value);
  const d = dispatchOf(C, v);
  if (d === "invalid") return reportInvalidCall(C, v as t.CallExpression);
  if (d) return C.report("publishHandle", v, { call: C.text(call), value: C.text(v) });
  const local = localBinding(C, v);
  if (local) C.valueUses.push({ irName: local.irName, node: v, published: true });
  else checkExpr(C, v);
}

/** An action call: its arguments and options, and the action itself (named, one action per name in the workflow, exported for the workers). */
function checkActionCall(C: Checker, ac: ActionCall): void {
  const { action } = ac;
  if (action.name === null) {
    // Actions of this file are reported where they are defined; imported ones here.
    if (action.file !== C.env.file) C.report("anonymousImportedAction", ac.call, { callee: ac.callee, file: importPath(C.env.file, action.file) });
    return;
  }
  checkItems(C, ac.call.arguments);
  markNonRetryable(C.classNames, ac.options);
  if (ac.options) checkExpr(C, ac.options);
  const location = actionLocation({ ...action, name: action.name });
  const known = C.actions.get(action.name);
  if (known && !sameAction(known, location)) {
    C.report("actionNameClash", ac.call, { name: action.name, first: describeAction(C.env.file, known), second: describeAction(C.env.file, location) });
  }
  if (!known && action.exportName === null) {
    C.report("actionNotExported", ac.call, { name: action.name, local: action.local, file: importPath(C.env.file, action.file), callee: ac.callee });
  }
  C.actions.set(action.name, known ?? location);
}

/** `await Promise.all([...])` / `allSettled`: one array, of calls to dispatch, handles or values; or a fan-out. */
function checkParallel(C: Checker, call: t.CallExpression, mode: ParallelMode): void {
  const arg = call.arguments[0];
  if (call.arguments.length !== 1 || !isExpressionArg(arg)) {
    C.report("combinatorArguments", call, { mode });
    return;
  }
  const list = unwrapTs(arg);
  if (list.type === "ArrayExpression") {
    for (const el of list.elements) {
      if (!el) continue;
      if (el.type === "SpreadElement") {
        checkExpr(C, el.argument);
        continue;
      }
      const ac = dispatchOf(C, el);
      if (ac === "invalid") reportInvalidCall(C, unwrapTs(el) as t.CallExpression);
      else if (ac) checkDispatch(C, ac);
      // A handle variable is what Promise.all is for: not a "use as a value".
      else if (!localBinding(C, unwrapTs(el))) checkExpr(C, el);
    }
    return;
  }
  const fanOut = matchFanOut(C, list);
  if (!fanOut) {
    reportInvalidFanOutBody(C, list);
    checkExpr(C, list);
    return;
  }
  checkExpr(C, fanOut.source);
  C.scopes.push();
  C.scopes.declare(fanOut.param.name, "callback");
  if (fanOut.index) C.scopes.declare(fanOut.index.name, "callback");
  const body = fanOut.body;
  if (C.awaits.contains(body.call) || (body.kind === "action" && body.options && C.awaits.contains(body.options))) {
    C.report("awaitInFanOutArguments", fanOut.body.call);
  }
  checkDispatch(C, body);
  C.scopes.pop();
}

/** A `.map` callback whose body is a malformed call (`runAction(...)`, ...): matchFanOut classified it; report it. */
function reportInvalidFanOutBody(C: Checker, list: t.Expression): void {
  const body = fanOutBody(list);
  if (body?.type === "CallExpression" && C.calls.get(body) === "invalid") reportInvalidCall(C, body);
}

/** `const ys = xs.map((x, i) => expr)`: one callback of one or two plain parameters, a pure expression body. */
export function checkArrayFn(C: Checker, input: t.Node): void {
  const node = unwrapTs(input as t.Expression) as t.CallExpression;
  const callee = node.callee as t.MemberExpression;
  const fn = (callee.property as t.Identifier).name;
  const cb = node.arguments[0] as t.ArrowFunctionExpression | t.FunctionExpression;
  if (node.arguments.length !== 1) return C.report("callbackSecondArgument", node.arguments[1], { method: fn });
  if (cb.generator) return C.report("generatorCallback", cb);
  if (cb.async) return C.report("asyncArrayCallback", cb, { method: fn });
  const params = cb.params;
  if (params.length < 1 || params.length > 2 || params.some((p) => p.type !== "Identifier")) return C.report("callbackParams", cb, { method: fn });
  let body: t.Node = cb.body;
  if (body.type === "BlockStatement") {
    const only = body.body.length === 1 ? body.body[0] : null;
    if (only?.type !== "ReturnStatement" || !only.argument) return C.report("callbackStatements", cb.body, { method: fn });
    body = only.argument;
  }
  if (C.awaits.contains(body)) return C.report("awaitInArrayCallback", body, { method: fn });
  checkExpr(C, callee.object);
  C.scopes.push();
  for (const p of params) C.scopes.declare((p as t.Identifier).name, "callback");
  C.pureDepth++;
  try {
    checkExpr(C, body);
  } finally {
    C.pureDepth--;
    C.scopes.pop();
  }
}

/** The value assigned to a variable or pattern: the position where `xs.map(cb)` may stand. */
export function checkValue(C: Checker, node: t.Node): void {
  if (isArrayFnCall(node)) checkArrayFn(C, node);
  else checkExpr(C, node);
}

/**
 * A call in an ordinary expression position: a pure builtin or method. Action
 * calls, `sleep` and `Promise.all` are only valid in the positions the statement
 * and await checks handle; reaching them here is a misuse, reported precisely.
 */
function checkCall(C: Checker, node: t.CallExpression | t.OptionalCallExpression): void {
  const call = C.text(node);
  if (node.type === "CallExpression") {
    const ac = dispatchOf(C, node);
    if (ac === "invalid") return reportInvalidCall(C, node);
    if (ac) {
      if (C.pureDepth > 0) C.report(ac.kind === "action" ? "actionInCallback" : "stepInCallback", node, { callee: ac.callee });
      else if (ac.kind === "action") C.report("handleAsValue", node, { name: C.text(node) });
      else C.report(AS_VALUE[ac.kind], node, { call: C.text(node) });
      return;
    }
  }
  const callee = node.callee;
  const r = staticRef(C, callee);
  if (r) {
    if (r.kind === "global" && BUILTINS.has(r.dotted)) return checkItems(C, node.arguments);
    return reportStaticCall(C, node, r, call);
  }
  if (callee.type === "MemberExpression" || callee.type === "OptionalMemberExpression") {
    const name = !callee.computed && callee.property.type === "Identifier" ? callee.property.name : null;
    if (name && MethodNames.has(name)) return checkItems(C, [callee.object, ...node.arguments]);
    if (name && ARRAY_FNS.has(name)) {
      const cb = node.arguments[0];
      if ((cb?.type === "ArrowFunctionExpression" || cb?.type === "FunctionExpression") && cb.async) {
        // An async body can only be the one form that dispatches actions: say so, not "assign it to a variable".
        C.report("asyncCallbackElsewhere", node, { method: name });
      } else C.report("callbackOutOfPlace", node, { method: name });
      return;
    }
    if (name === "push") return C.report("pushInExpression", node, { call });
    if (name && node.arguments.some((a) => a.type === "ArrowFunctionExpression" || a.type === "FunctionExpression")) {
      // `.reduce(fn)`, `.forEach(fn)`, `.sort(fn)`: the function is what cannot be lowered.
      return C.report("callbackOfMethod", node, { method: name });
    }
    return name ? C.report("methodNotCallable", node, { method: name, call }) : C.report("notCallable", node, { call });
  }
  if (callee.type === "ArrowFunctionExpression" || callee.type === "FunctionExpression") return C.report("immediatelyInvoked", callee);
  C.report("notCallable", node, { call });
}

function reportStaticCall(C: Checker, node: t.Node, r: StaticRef, call: string): void {
  if (r.kind === "global") {
    if (isNondeterministic(r.dotted)) C.report("nondeterministicCall", node, { call });
    else if (logMethodLevel(r.dotted)) C.report("logInExpression", node, { method: r.dotted });
    else if (r.dotted === "Promise.all" || r.dotted === "Promise.allSettled") C.report("combinatorNotAwaited", node, { combinator: r.dotted });
    else C.report("notCallable", node, { call });
    return;
  }
  if (r.kind === "this") {
    // The only call on `this` a workflow class has is this.runAction, handled before: the rest are its own methods.
    C.report("workflowClassMethod", node, { call });
    return;
  }
  const res = r.resolved;
  if (res.kind === "unresolved") {
    C.report("unresolvedImportCall", node, { call, name: r.text });
  } else if (res.kind === "cairn" && authoringRole(res.name) === "statement") {
    C.report("publishInExpression", node, { call });
  } else if ((res.kind === "cairn" && authoringRole(res.name) === "awaited") || (res.kind === "timers" && res.name === TIMER_SLEEP)) {
    C.report("primitiveNotAwaited", node, { call: C.text(node) });
  } else if (res.kind === "cairn" && authoringRole(res.name) === "actionOnly") {
    C.report("actionOnlyPrimitive", node, { callee: r.text, name: res.name });
  } else if (res.kind === "cairn") {
    C.report("moduleLevelPrimitive", node, { callee: r.text });
  } else if (res.kind === "timers") {
    C.report("nondeterministicTimer", node, { call });
  } else if (res.kind === "external") {
    // It may well be an action: say why the compiler cannot tell.
    C.report(isBuiltin(res.source) ? "nodeModuleCall" : "packageCall", node, { call, source: res.source });
  } else {
    C.report("notCallable", node, { call });
  }
}

/** `new RetryPolicy(options)` is the only constructor a workflow body may call. */
function checkNew(C: Checker, node: t.NewExpression): void {
  const r = staticRef(C, node.callee);
  if (r?.kind === "module" && r.resolved.kind === "cairn" && r.resolved.name === Authoring.RetryPolicy) {
    const arg = node.arguments[0];
    if (node.arguments.length > 1 || arg?.type === "SpreadElement") return C.report("retryPolicyArguments", node);
    markNonRetryable(C.classNames, arg);
    if (arg) checkExpr(C, arg);
    return;
  }
  const call = C.text(node);
  if (r?.kind === "global" && isNondeterministic(r.dotted)) C.report("nondeterministicConstruction", node, { call });
  else C.report("newExpression", node, { call });
}
