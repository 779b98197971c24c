import type * as t from "@babel/types";
import { unwrapTs } from "../analyze/classify.ts";
import type { Checker } from "./checker.ts";
import { describe, staticRef } from "./static-refs.ts";
import { dispatchOf } from "./calls.ts";
import { isArrayFnCall, LOGICAL_ASSIGN, memberChain, pushedArray, type Bind } from "./forms.ts";
import { checkExpr, checkItems } from "./expressions.ts";
import { checkDispatch, reportInvalidCall } from "./dispatch.ts";
import { checkArrayFn, checkValue } from "./array-fns.ts";

/**
 * `init` assigned to the variable `target`: the one position where an un-awaited
 * call (binding a handle) and `xs.map(cb)` may stand.
 */
export function checkInto(C: Checker, target: string, targetNode: t.Node, init: t.Node): void {
  const e = unwrapTs(init as t.Expression);
  const ac = dispatchOf(C, e);
  if (ac === "invalid") return reportInvalidCall(C, e as t.CallExpression);
  if (ac) {
    checkDispatch(C, ac);
    C.handles.set(target, { kind: ac.kind, callee: ac.callee, isVoid: ac.kind === "action" && ac.action.isVoid });
    return;
  }
  C.plainAssigns.push({ irName: target, node: targetNode });
  if (isArrayFnCall(e)) checkArrayFn(C, e);
  else checkExpr(C, e);
}

/** The local variable a plain identifier target names, or null after reporting. */
export function assignableLocal(C: Checker, id: t.Identifier): string | null {
  const local = C.scopes.lookup(id.name);
  if (local) return local.irName;
  const r = staticRef(C, id);
  if (r?.kind === "module") C.report("assignModuleBinding", id, { name: id.name, what: describe(r.resolved) });
  else C.report("assignNonLocal", id, { name: id.name });
  return null;
}

/** `a.b[c].d` as a target: its root is a local variable; computed keys are checked as expressions. Null when it is not. */
function memberPath(C: Checker, target: t.MemberExpression): t.Node[] | null {
  const chain = memberChain(target);
  if (!chain) return null;
  const { root, links } = chain;
  if (root.type !== "Identifier") {
    C.report(root.type === "ThisExpression" ? "assignToThis" : "assignTarget", target, { target: C.text(target) });
    return null;
  }
  const local = assignableLocal(C, root);
  if (!local) return null;
  C.valueUses.push({ irName: local, node: root });
  return links.filter((m) => m.computed).map((m) => m.property);
}

/** `a.b[i] = value`. */
function checkAssignToMember(C: Checker, target: t.MemberExpression, value: t.Node | null): void {
  const steps = memberPath(C, target);
  if (!steps) return;
  for (const s of steps) checkExpr(C, s);
  if (value) checkExpr(C, value);
}

/** `x = v`, `x += v`, `x ??= v`, `a.b = v`, `[a, b] = v` as statements. */
export function checkAssignment(C: Checker, node: t.AssignmentExpression): void {
  const left = node.left;
  const op = node.operator;
  if (op === "=") {
    if (left.type === "Identifier") {
      const target = assignableLocal(C, left);
      if (target) checkInto(C, target, left, node.right);
    } else if (left.type === "MemberExpression") {
      checkAssignToMember(C, left, node.right);
    } else {
      checkValue(C, node.right);
      checkPattern(C, left, (id) => assignableLocal(C, id));
    }
    return;
  }
  if (left.type !== "Identifier" && left.type !== "MemberExpression") {
    C.report("compoundAssignTarget", left, { operator: op, target: C.text(left) });
    return;
  }
  if (LOGICAL_ASSIGN.has(op) && C.awaits.contains(node.right)) {
    // `x ||= await f()`: the right side only runs when the assignment happens.
    checkExpr(C, left);
    if (left.type === "MemberExpression") checkAssignToMember(C, left, node.right);
    else {
      const target = assignableLocal(C, left);
      if (target) checkInto(C, target, left, node.right);
    }
    return;
  }
  if (left.type === "MemberExpression") return checkAssignToMember(C, left, node.right);
  const target = assignableLocal(C, left);
  if (!target) return;
  C.valueUses.push({ irName: target, node: left });
  C.plainAssigns.push({ irName: target, node: left });
  checkExpr(C, node.right);
}

/** `i++` / `--a.b` as a statement. */
export function checkUpdate(C: Checker, node: t.UpdateExpression): void {
  const arg = node.argument;
  if (arg.type === "MemberExpression") return checkAssignToMember(C, arg, null);
  if (arg.type !== "Identifier") {
    C.report("updateTarget", node, { expression: C.text(node) });
    return;
  }
  const target = assignableLocal(C, arg);
  if (!target) return;
  C.valueUses.push({ irName: target, node: arg });
  C.plainAssigns.push({ irName: target, node: arg });
}

/** `xs.push(a, b)` / `o.list.push(x)` on a local array, as a statement; false for any other call. */
export function checkPush(C: Checker, call: t.CallExpression): boolean {
  const object = pushedArray(call);
  if (!object) return false;
  if (object.type === "Identifier") {
    const target = assignableLocal(C, object);
    if (!target) return true;
    C.valueUses.push({ irName: target, node: object });
    checkItems(C, call.arguments);
    return true;
  }
  if (object.type !== "MemberExpression") return false;
  const steps = memberPath(C, object);
  if (!steps) return true;
  for (const s of steps) checkExpr(C, s);
  checkItems(C, call.arguments);
  return true;
}

/** Destructuring: every target, default value and computed key. */
export function checkPattern(C: Checker, pattern: t.Node, bind: Bind): void {
  switch (pattern.type) {
    case "Identifier": {
      const target = bind(pattern);
      if (target) C.plainAssigns.push({ irName: target, node: pattern });
      return;
    }
    case "MemberExpression":
      return checkAssignToMember(C, pattern, null);
    case "AssignmentPattern":
      checkExpr(C, pattern.right);
      return checkPattern(C, pattern.left, bind);
    case "ArrayPattern":
      for (const el of pattern.elements) if (el) checkPattern(C, el.type === "RestElement" ? el.argument : el, bind);
      return;
    case "ObjectPattern":
      for (const p of pattern.properties) {
        if (p.type === "RestElement") checkPattern(C, p.argument, bind);
        else {
          if (p.computed) checkExpr(C, p.key);
          checkPattern(C, p.value, bind);
        }
      }
      return;
    default:
      C.report("patternTarget", pattern, { target: C.text(pattern) });
  }
}
