/**
 * The one table of compiler diagnostics, in two parts: `Rules`, one entry per
 * stable code (what the code means, which never changes), and the situations each
 * code is reported in (situations.ts), each with its own fixed wording. A call
 * site names a situation and passes only the values its wording has
 * placeholders for (`{name}`), so the sentences are all here, never at call sites.
 */
export interface Rule {
  code: string;
  title: string;
  /** Default "error": the file is not compiled. A warning is shown and the build goes on. */
  severity?: "warning";
}

export const Rules = {
  syntax: { code: "CAIRN001", title: "syntax error" },
  nondeterministic: { code: "CAIRN100", title: "nondeterministic call" },
  notCallable: { code: "CAIRN101", title: "call to something that is not an action" },
  newExpression: { code: "CAIRN102", title: "`new` other than RetryPolicy" },
  throwNotCaught: { code: "CAIRN103", title: "throw of something other than the caught error" },
  nestedFunction: { code: "CAIRN104", title: "nested function" },
  generator: { code: "CAIRN105", title: "generator" },
  deleteOperator: { code: "CAIRN106", title: "delete" },
  withUsing: { code: "CAIRN107", title: "with / using" },
  assignInExpression: { code: "CAIRN108", title: "assignment inside an expression" },
  moduleBinding: { code: "CAIRN109", title: "reference to a disallowed module-level binding" },
  handleAsValue: { code: "CAIRN110", title: "un-awaited action call used as a value" },
  voidResult: { code: "CAIRN111", title: "result of a Promise<void> action used" },
  anonymousAction: { code: "CAIRN112", title: "anonymous action" },
  unsupported: { code: "CAIRN113", title: "unsupported syntax" },
  primitiveMisuse: { code: "CAIRN114", title: "misuse of a cairn primitive" },
  workflowParam: { code: "CAIRN115", title: "workflow parameter is not a plain identifier" },
  workflowDefinition: { code: "CAIRN116", title: "invalid workflow definition" },
  actionNameClash: { code: "CAIRN117", title: "two actions with one name" },
  actionNotExported: { code: "CAIRN118", title: "action not exported", severity: "warning" },
  workflowNameClash: { code: "CAIRN119", title: "two workflows with one name in one build" },
  workflowCall: { code: "CAIRN120", title: "call to a workflow that cannot run as a child" },
  messageMisuse: { code: "CAIRN121", title: "misuse of receive, send or publish" },
  scheduleNotModuleLevel: { code: "CAIRN130", title: "schedule() not at module level" },
  scheduleNotExported: { code: "CAIRN131", title: "schedule not exported" },
  scheduleWorkflow: { code: "CAIRN132", title: "schedule of something that is not a workflow" },
  scheduleSpec: { code: "CAIRN133", title: "invalid cron expression or interval" },
  scheduleOption: { code: "CAIRN134", title: "invalid schedule option" },
  scheduleTimezone: { code: "CAIRN135", title: "unknown time zone" },
  scheduleNotStatic: { code: "CAIRN136", title: "schedule spec or option not known at build time" },
  scheduleNameClash: { code: "CAIRN137", title: "two schedules with one name in one build" },
  internal: { code: "CAIRN900", title: "internal compiler error" },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof Rules;

/**
 * One situation a rule is reported in: its fixed wording, and the placeholders
 * that wording has, which are exactly the values a call site passes.
 */
export interface Situation {
  rule: RuleName;
  message: string;
  hint: string;
  params: readonly string[];
}

/** A situation's entry, its parameter list kept as literal types for SituationArgs. */
export function situation<const P extends readonly string[] = []>(
  rule: RuleName, message: string, hint: string, params?: P,
): { rule: RuleName; message: string; hint: string; params: P } {
  return { rule, message, hint, params: params ?? ([] as unknown as P) };
}

/** Fills `{name}` placeholders; an unknown placeholder is left as is so it shows in tests. */
export function fill(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => args[key] ?? whole);
}
