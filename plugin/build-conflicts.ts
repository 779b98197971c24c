import { relative, sep } from "node:path";
import { sameAction } from "./lower/action-calls.ts";
import type { ActionLocation } from "./types.ts";

/** One compiled module of a build, as far as other modules of the build can clash with it. */
export interface BuildModule {
  /** Absolute path. */
  file: string;
  /** Names of the workflows it defines. */
  workflows: readonly string[];
  /** The actions its workflows call. */
  actions: readonly ActionLocation[];
  /** The actions it declares itself, when they are served whether called or not (a worker given the file). */
  declared?: readonly ActionLocation[];
}

/**
 * What makes modules that each compile cleanly unusable as one deployment: the
 * runtime finds workflows and actions by name, so two workflows of one name, or
 * two different actions of one name that the build's workflows call (or that a
 * worker given the modules serves, `declared`), would leave
 * a worker serving one of them for both (a worker given both actions refuses to
 * start, which is too late: that is a deploy). `cairn build`, `cairn check` and
 * every bundler report these as errors of the build, without a location, since
 * neither module is wrong on its own. Paths are relative to `cwd`.
 */
export function buildConflicts(modules: readonly BuildModule[], cwd: string): string[] {
  const show = (file: string) => relative(cwd, file).split(sep).join("/");
  const workflows = new Map<string, string[]>();
  const actions = new Map<string, Array<{ action: ActionLocation; callers: string[] }>>();
  const note = (action: ActionLocation, caller: string | null) => {
    const list = actions.get(action.name) ?? [];
    let same = list.find((seen) => sameAction(seen.action, action));
    if (!same) list.push((same = { action, callers: [] }));
    if (caller !== null && !same.callers.includes(caller)) same.callers.push(caller);
    actions.set(action.name, list);
  };
  for (const m of modules) {
    for (const name of m.workflows) workflows.set(name, [...(workflows.get(name) ?? []), show(m.file)]);
    for (const action of m.actions) note(action, show(m.file));
    for (const action of m.declared ?? []) note(action, null);
  }
  const problems: string[] = [];
  for (const [name, files] of workflows) {
    if (files.length > 1) problems.push(`workflow name "${name}" is defined more than once (${files.join(", ")}); names must be unique`);
  }
  for (const [name, list] of actions) {
    if (list.length < 2) continue;
    const each = list.map(
      ({ action, callers }) => `\`${action.exportName}\` of ${show(action.file)}${callers.length > 0 ? ` (called by ${callers.join(", ")})` : ""}`,
    );
    problems.push(
      `two different actions are named "${name}": ${each.join(" and ")}; a worker finds an action by its name, so one of them ` +
        `would run for both. Give one of them a name of its own: action(${JSON.stringify(`${name}-2`)}, ...)`,
    );
  }
  return problems;
}
