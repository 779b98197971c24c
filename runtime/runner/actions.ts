import type { Artifact } from "../../ir-schema/index.ts";
import { isAction, type Action } from "../api/action.ts";

/** Actions given to a runner: an iterable of actions, or an object (e.g. a module namespace). */
export type ActionSource = Iterable<unknown> | Record<string, unknown>;

/**
 * Actions by durable name. From an object, every action-wrapped value is taken and
 * the rest ignored (a module exports other things too); an iterable must hold only
 * actions.
 */
export function collectActions(source: ActionSource): Map<string, Action> {
  const out = new Map<string, Action>();
  const add = (value: unknown) => {
    if (!isAction(value)) return false;
    const existing = out.get(value.actionName);
    if (existing && existing !== value) throw new Error(`two different actions are named '${value.actionName}'`);
    out.set(value.actionName, value);
    return true;
  };
  if (Symbol.iterator in Object(source) && typeof source !== "string") {
    for (const value of source as Iterable<unknown>) {
      if (!add(value)) throw new TypeError(`runLocal: ${describe(value)} is not an action (wrap it with action(...))`);
    }
  } else {
    for (const value of Object.values(source)) add(value);
  }
  return out;
}

/** Every action the artifact may call: its header list and the program's call sites. */
export function actionsCalled(artifact: Artifact): string[] {
  const names = new Set(artifact.actions);
  for (const block of artifact.program.blocks) for (const instr of block.instrs) if (instr.kind === "call") names.add(instr.action);
  return [...names];
}

function describe(value: unknown): string {
  return typeof value === "function" ? `function ${value.name || "(anonymous)"}` : JSON.stringify(value) ?? String(value);
}
