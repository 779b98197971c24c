import type * as t from "@babel/types";
import type { Json, ScheduleEntry } from "../../ir-schema/index.ts";
import { DEFAULT_TIMEZONE, ScheduleSpecError, ticksOf } from "../../ir-schema/schedule-spec.ts";
import { Authoring, CatchUpPolicies, OverlapPolicies, ScheduleOptionKeys } from "../../ir-schema/vocabulary.ts";
import type { Reporter } from "../diagnostics/reporter.ts";
import { isNode, childKeys } from "../parse/children.ts";
import { cairnCallee, unwrapTs } from "./classify.ts";
import type { ModuleSummary } from "./declarations.ts";
import type { ModuleGraph, Resolved } from "./module-graph.ts";
import { exportNameOf } from "./module-summary.ts";
import { propertyKey, staticValue } from "./static-value.ts";

export interface ScheduleScan {
  ast: t.File;
  /** Absolute path of the module. */
  file: string;
  /** Relative to the project root: the entry's `source`. */
  relFile: string;
  source: string;
  summary: ModuleSummary;
  graph: ModuleGraph;
  reporter: Reporter;
}

/**
 * The schedules a module declares, `export const <name> = schedule(spec, workflow,
 * options)`, as manifest entries; every misuse is reported (CAIRN130-136). The
 * spec and options are copied into the manifest, so they must be known at build
 * time: literals, module-level constants and enum members, never computed values.
 */
export function findSchedules(scan: ScheduleScan): ScheduleEntry[] {
  // Cheap gate: most modules never name it, and the walk below visits every node.
  if (!scan.source.includes(Authoring.schedule)) return [];
  const cairnName = (local: string): string | null => {
    const r = scan.graph.resolveLocal(scan.file, local);
    return r?.kind === "cairn" ? r.name : null;
  };
  const isSchedule = (n: t.Node): n is t.CallExpression => n.type === "CallExpression" && cairnCallee(n.callee, cairnName) === Authoring.schedule;
  const declared = new Map<t.CallExpression, string>();
  for (const top of scan.ast.program.body) {
    const stmt = top.type === "ExportNamedDeclaration" ? top.declaration : top;
    if (stmt?.type !== "VariableDeclaration" || stmt.kind !== "const") continue;
    for (const d of stmt.declarations) {
      const init = d.init && unwrapTs(d.init);
      if (init && d.id.type === "Identifier" && isSchedule(init)) declared.set(init, d.id.name);
    }
  }
  walk(scan.ast.program, false, (call, inFunction) => {
    if (!isSchedule(call) || declared.has(call)) return;
    const where = inFunction ? "a call inside a function" : "a call elsewhere (a statement, a `let`, part of an expression)";
    scan.reporter.report("scheduleNotModuleLevel", scan.file, call, { callee: scan.source.slice(call.callee.start!, call.callee.end!), where });
  });
  const entries: ScheduleEntry[] = [];
  for (const [call, local] of declared) {
    const entry = scheduleEntry(scan, call, local);
    if (entry) entries.push(entry);
  }
  return entries;
}

/** Calls every call expression under `node`, saying whether it is inside a function. */
function walk(node: t.Node, inFunction: boolean, visit: (call: t.CallExpression, inFunction: boolean) => void): void {
  if (node.type === "CallExpression") visit(node, inFunction);
  const inner = inFunction || node.type.includes("Function") || node.type === "ClassMethod" || node.type === "ObjectMethod";
  for (const key of childKeys(node)) {
    const value = (node as unknown as Record<string, unknown>)[key];
    for (const child of Array.isArray(value) ? value : [value]) if (isNode(child)) walk(child, inner, visit);
  }
}

function scheduleEntry(scan: ScheduleScan, call: t.CallExpression, local: string): ScheduleEntry | null {
  const { reporter, file } = scan;
  const errors = reporter.errorCount;
  const name = exportNameOf(scan.summary, local);
  if (name === null) reporter.report("scheduleNotExported", file, call, { what: `\`${local}\``, local });
  const label = name ?? local;
  const [specArg, workflowArg, optionsArg, ...extra] = call.arguments;
  const notStatic = (at: t.Node, what: string, why: string) => reporter.report("scheduleNotStatic", file, at, { what, name: label, why });
  if (extra.length > 0) notStatic(extra[0], "argument list", "schedule() takes a spec, a workflow and an options object");
  const workflow = workflowArg && workflowArg.type !== "SpreadElement" && workflowArg.type !== "ArgumentPlaceholder"
    ? scheduledWorkflow(scan, workflowArg)
    : { what: "missing" };
  if ("what" in workflow) reporter.report("scheduleNotWorkflow", file, workflowArg ?? call, { name: label, what: workflow.what });
  const options = scheduleOptions(scan, optionsArg, label);
  let spec: Json | undefined;
  if (!specArg || specArg.type === "SpreadElement" || specArg.type === "ArgumentPlaceholder") notStatic(specArg ?? call, "spec", "it is missing");
  else {
    const value = staticValue(specArg, file, scan.graph, scan.source);
    if ("why" in value) notStatic(specArg, "spec", value.why);
    else spec = value.value;
    try {
      if (spec !== undefined) ticksOf(spec, options?.timezone.value ?? DEFAULT_TIMEZONE);
    } catch (error) {
      if (!(error instanceof ScheduleSpecError)) throw error;
      if (error.what === "spec") reporter.report("scheduleSpec", file, specArg, { name: label, problem: error.message });
      else reporter.report("scheduleTimezone", file, options?.timezone.at ?? call, { name: label, problem: error.message });
    }
  }
  if (reporter.errorCount > errors || name === null || spec === undefined || !options || "what" in workflow) return null;
  return {
    name,
    workflow: workflow.name,
    spec: spec as ScheduleEntry["spec"],
    timezone: options.timezone.value,
    input: options.input,
    catchUp: options.catchUp as ScheduleEntry["catchUp"],
    overlap: options.overlap as ScheduleEntry["overlap"],
    source: scan.relFile,
  };
}

interface Options {
  timezone: { value: string; at: t.Node | null };
  input: Record<string, Json>;
  catchUp: string;
  overlap: string;
}

/** The options with their defaults; null when any is wrong (each problem reported). */
function scheduleOptions(scan: ScheduleScan, arg: t.Node | undefined, name: string): Options | null {
  const out: Options = { timezone: { value: DEFAULT_TIMEZONE, at: null }, input: {}, catchUp: CatchUpPolicies[0], overlap: OverlapPolicies[0] };
  if (arg === undefined) return out;
  const { reporter, file } = scan;
  const notStatic = (at: t.Node, why: string) => reporter.report("scheduleNotStatic", file, at, { what: "options", name, why });
  const obj = arg.type === "SpreadElement" || arg.type === "ArgumentPlaceholder" ? null : unwrapTs(arg as t.Expression);
  if (obj?.type !== "ObjectExpression") {
    notStatic(arg, "write them as an object literal");
    return null;
  }
  let ok = true;
  const bad = (at: t.Node, key: string, value: Json, expected: string) => {
    reporter.report("scheduleOptionValue", file, at, { key, value: JSON.stringify(value), expected });
    ok = false;
  };
  for (const p of obj.properties) {
    const key = p.type === "SpreadElement" ? null : propertyKey(p);
    if (p.type !== "ObjectProperty" || key === null) {
      notStatic(p, `${scan.source.slice(p.start!, p.end!)} is not a plain \`key: value\` property`);
      ok = false;
      continue;
    }
    if (!(ScheduleOptionKeys as readonly string[]).includes(key)) {
      reporter.report("scheduleUnknownOption", file, p.key, { key, keys: ScheduleOptionKeys.map((k) => `\`${k}\``).join(", ") });
      ok = false;
      continue;
    }
    const value = staticValue(p.value as t.Expression, file, scan.graph, scan.source);
    if ("why" in value) {
      notStatic(p.value, value.why);
      ok = false;
      continue;
    }
    const v = value.value;
    const oneOf = (list: readonly string[]) => list.map((x) => JSON.stringify(x)).join(", ");
    if (key === "timezone") {
      if (typeof v === "string") out.timezone = { value: v, at: p.value };
      else bad(p.value, key, v, "an IANA time zone name");
    } else if (key === "input") {
      if (typeof v === "object" && v !== null && !Array.isArray(v)) out.input = v;
      else bad(p.value, key, v, "an object of the workflow's parameters by name");
    } else if (key === "catchUp") {
      if (typeof v === "string" && (CatchUpPolicies as readonly string[]).includes(v)) out.catchUp = v;
      else bad(p.value, key, v, oneOf(CatchUpPolicies));
    } else if (typeof v === "string" && (OverlapPolicies as readonly string[]).includes(v)) out.overlap = v;
    else bad(p.value, key, v, oneOf(OverlapPolicies));
  }
  return ok ? out : null;
}

/** The name of the workflow an argument refers to, or what it is instead. */
function scheduledWorkflow(scan: ScheduleScan, arg: t.Expression): { name: string } | { what: string } {
  const e = unwrapTs(arg);
  const text = `\`${scan.source.slice(e.start!, e.end!)}\``;
  let r: Resolved | null = null;
  if (e.type === "Identifier") r = scan.graph.resolveLocal(scan.file, e.name);
  else if (e.type === "MemberExpression" && !e.computed && e.object.type === "Identifier" && e.property.type === "Identifier") {
    const base = scan.graph.resolveLocal(scan.file, e.object.name);
    r = base && scan.graph.member(base, e.property.name);
  } else return { what: `${text}, an expression` };
  if (r === null) return { what: `${text} is not defined at module level` };
  // The graph names the workflow a binding declares (`const x = workflow(...)`, `@workflow class X`), also through imports.
  if ((r.kind === "other" || r.kind === "class") && r.workflow) return { name: r.workflow };
  switch (r.kind) {
    case "action":
      return { what: `${text} is an action` };
    case "external":
      return { what: `${text} is imported from "${r.source}", a package the compiler does not read` };
    case "other":
      return { what: `${text} is ${r.what}` };
    case "errorClass":
      return { what: `${text} is an error class` };
    case "class":
      return { what: `${text} is a class that is not a workflow` };
    default:
      return { what: `${text} is a ${r.kind === "cairn" || r.kind === "timers" ? "library function" : r.kind}` };
  }
}
