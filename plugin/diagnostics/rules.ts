/**
 * The one table of compiler diagnostics. Every diagnostic the compiler reports is
 * created from an entry here, so codes stay stable and wording stays consistent.
 * `message` and `hint` are templates: `{name}` is replaced by the argument of that name.
 */
export interface Rule {
  code: string;
  title: string;
  message: string;
  hint: string;
  /** Default "error": the file is not compiled. A warning is shown and the build goes on. */
  severity?: "warning";
}

export const Rules = {
  syntax: {
    code: "CAIRN001",
    title: "syntax error",
    message: "{detail}",
    hint: "fix the syntax error; the file is not compiled until it parses",
  },
  nondeterministic: {
    code: "CAIRN100",
    title: "nondeterministic call",
    message: "{what} is nondeterministic and cannot run in a workflow body",
    hint: "move it into an action and await the action, so its result is recorded and replayed",
  },
  notCallable: {
    code: "CAIRN101",
    title: "call to something that is not an action",
    message: "{what} is not an action, a cairn primitive or a documented pure builtin",
    hint: "make the function an action (`export const f = action(async function f(...) {...})` at module level) and await it, or compute the value inside an action",
  },
  newExpression: {
    code: "CAIRN102",
    title: "`new` other than RetryPolicy",
    message: "{what} is not allowed in a workflow body; only `new RetryPolicy(...)` is",
    hint: "construct the object inside an action, or use a plain object literal",
  },
  throwNotCaught: {
    code: "CAIRN103",
    title: "throw of something other than the caught error",
    message: "only the error caught by an enclosing `catch` can be thrown; found `throw {what}`",
    hint: "throw errors inside an action; a workflow may only rethrow the caught error (`throw err`)",
  },
  nestedFunction: {
    code: "CAIRN104",
    title: "nested function",
    message: "{what} is not allowed here; functions may only appear as the argument of `.map`/`.filter` assigned directly to a variable, or inside `Promise.all(xs.map(...))`",
    hint: "for a pure expression per element assign the result directly, `const ys = xs.map((x) => x.total)`; to run an action per element, `await Promise.all(xs.map((x) => act(x)))`; otherwise move the logic into an action",
  },
  generator: {
    code: "CAIRN105",
    title: "generator",
    message: "{what} is not supported: a workflow body is a plain async function",
    hint: "remove the generator; to produce many values, collect them in an array and return it",
  },
  deleteOperator: {
    code: "CAIRN106",
    title: "delete",
    message: "`delete` is not supported in a workflow body",
    hint: "build a new object without the property, e.g. `const { key, ...rest } = obj`",
  },
  withUsing: {
    code: "CAIRN107",
    title: "with / using",
    message: "`{what}` is not supported in a workflow body",
    hint: "refer to properties explicitly; manage resources inside an action",
  },
  assignInExpression: {
    code: "CAIRN108",
    title: "assignment inside an expression",
    message: "{what} inside an expression is not supported",
    hint: "make the assignment its own statement",
  },
  moduleBinding: {
    code: "CAIRN109",
    title: "reference to a disallowed module-level binding",
    message: "`{name}` {why}",
    hint: "pass the value in as a workflow parameter, or read it inside an action; only actions, enums, error classes and module-level `const` primitives (literals, or computed from other constants, such as `5 * 60 * 1000`) may be referenced",
  },
  handleAsValue: {
    code: "CAIRN110",
    title: "un-awaited action call used as a value",
    message: "{what}",
    hint: "await the call first (`const v = await {name}`), or pass it to `Promise.all([...])`",
  },
  voidResult: {
    code: "CAIRN111",
    title: "result of a Promise<void> action used",
    message: "action `{name}` is declared `Promise<void>`; its result cannot be used",
    hint: "call it as a statement (`await {name}(...)`), or declare the value it returns",
  },
  anonymousAction: {
    code: "CAIRN112",
    title: "anonymous action",
    message: "action without a name: {what}",
    hint: "name it: `action(async function myAction(...) {...})` or `action(\"my-action\", async (...) => {...})`",
  },
  unsupported: {
    code: "CAIRN113",
    title: "unsupported syntax",
    message: "{what} is not supported in a workflow body",
    hint: "{hint}",
  },
  primitiveMisuse: {
    code: "CAIRN114",
    title: "misuse of a cairn primitive",
    message: "{what}",
    hint: "{hint}",
  },
  workflowParam: {
    code: "CAIRN115",
    title: "workflow parameter is not a plain identifier",
    message: "workflow parameter {what} is not a plain identifier",
    hint: "take a plain parameter (`input: Input`) and destructure it in the body",
  },
  workflowDefinition: {
    code: "CAIRN116",
    title: "invalid workflow definition",
    message: "{what}",
    hint: "{hint}",
  },
  actionNameClash: {
    code: "CAIRN117",
    title: "two actions with one name",
    message: "two different actions are named `{name}` ({first} and {second}); a worker finds an action by its name, so one of them would run for both",
    hint: "give one of them a name of its own: `action(\"{name}-2\", ...)`",
  },
  actionNotExported: {
    code: "CAIRN118",
    severity: "warning",
    title: "action not exported",
    message: "the action `{name}` is not exported from {file}: workers find actions among the exports of modules, so no worker would run {what}",
    hint: "export it (`export const {local} = action(...)`), or hand it to your worker yourself",
  },
  internal: {
    code: "CAIRN900",
    title: "internal compiler error",
    message: "internal compiler error while compiling {what}: {detail}",
    hint: "this is a bug in cairn; please report it with the workflow source",
  },
} as const satisfies Record<string, Rule>;

export type RuleName = keyof typeof Rules;

/** Fills `{name}` placeholders; an unknown placeholder is left as is so it shows in tests. */
export function fill(template: string, args: Readonly<Record<string, string>>): string {
  return template.replace(/\{(\w+)\}/g, (whole, key: string) => args[key] ?? whole);
}
