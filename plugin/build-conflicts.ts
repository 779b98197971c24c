import { sameAction } from "./check/actions.ts";
import type { ActionLocation } from "./types.ts";
import type { Diagnostic } from "./diagnostics/diagnostic.ts";
import { displayPath } from "./diagnostics/format.ts";
import { createDiagnostic } from "./diagnostics/reporter.ts";

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
  /** Names of the schedules it exports. */
  schedules?: readonly string[];
}

/**
 * What makes modules that each compile cleanly unusable as one deployment: the
 * runtime finds workflows and actions by name, so two workflows of one name, or
 * two different actions of one name that the build's workflows call (or that a
 * worker given the modules serves, `declared`), would leave
 * a worker serving one of them for both (a worker given both actions refuses to
 * start, which is too late: that is a deploy). `cairn build`, `cairn check` and
 * every bundler report these as errors of the build (CAIRN119, CAIRN117), each
 * on the first file involved with no position in it, since neither module is
 * wrong on its own; the message names every file, relative to `cwd`.
 */
export function buildConflicts(modules: readonly BuildModule[], cwd: string): Diagnostic[] {
  const show = (file: string) => displayPath(file, cwd);
  const workflows = new Map<string, string[]>();
  const schedules = new Map<string, string[]>();
  const actions = new Map<string, Array<{ action: ActionLocation; callers: string[] }>>();
  const note = (action: ActionLocation, caller: string | null) => {
    const list = actions.get(action.name) ?? [];
    let same = list.find((seen) => sameAction(seen.action, action));
    if (!same) list.push((same = { action, callers: [] }));
    if (caller !== null && !same.callers.includes(caller)) same.callers.push(caller);
    actions.set(action.name, list);
  };
  for (const m of modules) {
    for (const name of m.workflows) workflows.set(name, [...(workflows.get(name) ?? []), m.file]);
    for (const name of m.schedules ?? []) schedules.set(name, [...(schedules.get(name) ?? []), m.file]);
    for (const action of m.actions) note(action, show(m.file));
    for (const action of m.declared ?? []) note(action, null);
  }
  const wholeFile = { line: 0, column: 0 };
  const problems: Diagnostic[] = [];
  for (const [name, files] of workflows) {
    if (files.length < 2) continue;
    problems.push(createDiagnostic("workflowNameClash", files[0], wholeFile, { name, files: files.map(show).join(", ") }));
  }
  for (const [name, files] of schedules) {
    if (files.length < 2) continue;
    problems.push(createDiagnostic("scheduleNameClash", files[0], wholeFile, { name, files: files.map(show).join(", ") }));
  }
  for (const [name, list] of actions) {
    if (list.length < 2) continue;
    const each = list.map(
      ({ action, callers }) => `\`${action.exportName}\` of ${show(action.file)}${callers.length > 0 ? ` (called by ${callers.join(", ")})` : ""}`,
    );
    problems.push(createDiagnostic("actionNameClashInBuild", list[0].action.file, wholeFile, { name, actions: each.join(" and ") }));
  }
  return problems;
}
