import { situation } from "./rules.ts";
import { UnsupportedSyntax } from "./unsupported-syntax.ts";
import { PrimitiveMisuse } from "./primitive-misuse.ts";
import { BuildClashes } from "./build-clashes.ts";
import { ChildrenAndMessages } from "./children-messages.ts";
import { ScheduleMisuse } from "./schedule-misuse.ts";

const MODULE_BINDING_HINT =
  "pass the value in as a workflow parameter, or read it inside an action; only actions, enums, error classes and module-level `const` primitives (literals, or computed from other constants, such as `5 * 60 * 1000`) may be referenced";
const HANDLE_HINT = "await the call first (`const v = await {name}`), or pass it to `Promise.all([...])`";
const NONDETERMINISTIC_HINT = "move it into an action and await the action, so its result is recorded and replayed";
const NOT_CALLABLE_HINT =
  "make the function an action (`export const f = action(async function f(...) {...})` at module level) and await it, or compute the value inside an action";
const NESTED_FUNCTION_HINT =
  "for a pure expression per element assign the result directly, `const ys = xs.map((x) => x.total)`; to run an action per element, `await Promise.all(xs.map((x) => act(x)))`; otherwise move the logic into an action";
const GENERATOR_HINT = "remove the generator; to produce many values, collect them in an array and return it";

/** CAIRN101: one situation per kind of call the compiler cannot run. */
const notCallable = <const P extends readonly string[] = []>(subject: string, params?: P) =>
  situation("notCallable", `${subject} is not an action, a cairn primitive or a documented pure builtin`, NOT_CALLABLE_HINT, params);
/** CAIRN104: one situation per kind of function found where none may stand. */
const nestedFunction = <const P extends readonly string[] = []>(subject: string, params?: P) =>
  situation(
    "nestedFunction",
    `${subject} is not allowed here; functions may only appear as the argument of \`.map\`/\`.filter\` assigned directly to a variable, or inside \`Promise.all(xs.map(...))\``,
    NESTED_FUNCTION_HINT,
    params,
  );
/** CAIRN105: one situation per generator construct. */
const generator = (subject: string) =>
  situation("generator", `${subject} is not supported: a workflow body is a plain async function`, GENERATOR_HINT);

/** Rules with one situation or a few: all but CAIRN113 and CAIRN114, which have files of their own. */
const Situations1xx = {
  syntax: situation("syntax", "{detail}", "fix the syntax error; the file is not compiled until it parses", ["detail"]),
  nondeterministicCall: situation("nondeterministic", "`{call}` is nondeterministic and cannot run in a workflow body", NONDETERMINISTIC_HINT, ["call"]),
  nondeterministicConstruction: situation(
    "nondeterministic",
    "`{call}` constructs a nondeterministic value and cannot run in a workflow body",
    NONDETERMINISTIC_HINT,
    ["call"],
  ),
  nondeterministicGlobal: situation(
    "nondeterministic",
    "`{name}` is nondeterministic and cannot be read in a workflow body",
    "read it inside an action and await the action, so its value is recorded and replayed",
    ["name"],
  ),
  nondeterministicTimer: situation(
    "nondeterministic",
    "`{call}` is nondeterministic: of Node's promise timers only `setTimeout(ms)` runs in a workflow body, as a durable sleep",
    "write `await setTimeout(ms)` or `await sleep(duration)`; run anything else that needs a timer inside an action",
    ["call"],
  ),
  notCallable: notCallable("`{call}`", ["call"]),
  methodNotCallable: notCallable("the method `.{method}(...)` in `{call}`", ["method", "call"]),
  workflowClassMethod: notCallable("`{call}`, a method of the workflow class,", ["call"]),
  nodeModuleCall: notCallable("`{call}` (imported from Node's \"{source}\" module)", ["call", "source"]),
  packageCall: notCallable("`{call}` (imported from \"{source}\", a package the compiler does not read)", ["call", "source"]),
  taggedTemplate: notCallable("the tag `{tag}`", ["tag"]),
  dynamicImport: notCallable("`import(...)`"),
  newExpression: situation(
    "newExpression",
    "`{call}` is not allowed in a workflow body; only `new RetryPolicy(...)` is",
    "construct the object inside an action, or use a plain object literal",
    ["call"],
  ),
  throwNotCaught: situation(
    "throwNotCaught",
    "only the error caught by an enclosing `catch` can be thrown; found `throw {value}`",
    "throw errors inside an action; a workflow may only rethrow the caught error (`throw err`)",
    ["value"],
  ),
  arrowFunction: nestedFunction("an arrow function"),
  functionExpression: nestedFunction("a function expression"),
  functionDeclaration: nestedFunction("the function declaration `{name}`", ["name"]),
  objectMethod: nestedFunction("an object method"),
  objectGetter: nestedFunction("a getter"),
  objectSetter: nestedFunction("a setter"),
  callbackOutOfPlace: nestedFunction("the callback of `.{method}(...)` in this position", ["method"]),
  callbackOfMethod: nestedFunction("the callback of `.{method}(...)`", ["method"]),
  immediatelyInvoked: nestedFunction("an immediately invoked function"),
  generatorBody: generator("a generator workflow body"),
  generatorFunction: generator("a generator function"),
  generatorCallback: generator("a generator callback"),
  yieldExpression: generator("`yield`"),
  deleteOperator: situation(
    "deleteOperator",
    "`delete` is not supported in a workflow body",
    "build a new object without the property, e.g. `const { key, ...rest } = obj`",
  ),
  withStatement: situation("withUsing", "`with` is not supported in a workflow body", "refer to properties explicitly"),
  usingDeclaration: situation("withUsing", "`{keyword}` is not supported in a workflow body", "manage resources inside an action", ["keyword"]),
  assignInExpression: situation("assignInExpression", "`{code}` inside an expression is not supported", "make the assignment its own statement", ["code"]),
  pushInExpression: situation(
    "assignInExpression",
    "`{call}` (it mutates its array) inside an expression is not supported",
    "make the push its own statement: `xs.push(x);`",
    ["call"],
  ),
  actionAsValue: situation("moduleBinding", "`{name}` is an action and cannot be used as a value; call it: `await {name}(...)`", MODULE_BINDING_HINT, ["name"]),
  errorClassAsValue: situation(
    "moduleBinding",
    "`{name}` is an error class; it can only be used on the right of `instanceof` and in a `retry.nonRetryable` list",
    MODULE_BINDING_HINT,
    ["name"],
  ),
  enumAsValue: situation("moduleBinding", "`{name}` is an enum; only its members can be used", MODULE_BINDING_HINT, ["name"]),
  moduleBinding: situation("moduleBinding", "`{name}` is {what} and cannot be referenced from a workflow body", MODULE_BINDING_HINT, ["name", "what"]),
  unknownGlobal: situation(
    "moduleBinding",
    "`{name}` is not defined in the workflow body (globals other than pure builtins are not available)",
    MODULE_BINDING_HINT,
    ["name"],
  ),
  assignModuleBinding: situation(
    "moduleBinding",
    "`{name}` is {what}; module-level bindings cannot be assigned from a workflow",
    MODULE_BINDING_HINT,
    ["name", "what"],
  ),
  assignNonLocal: situation("moduleBinding", "`{name}` is not a local variable of the workflow", MODULE_BINDING_HINT, ["name"]),
  handleAsValue: situation("handleAsValue", "the un-awaited action call `{name}` is used as a value", HANDLE_HINT, ["name"]),
  returnPendingInTry: situation(
    "handleAsValue",
    "returning the un-awaited call `{call}` from inside `try` would skip this `catch`/`finally` in JavaScript: the call's failure is not caught there, and `finally` runs before it settles",
    "write `return await {call}`",
    ["call"],
  ),
  handleVarAsValue: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited action call `{callee}(...)` and is used as a value",
    HANDLE_HINT,
    ["name", "callee"],
  ),
  handleVarReassigned: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited action call `{callee}(...)` and cannot also be assigned another value",
    HANDLE_HINT,
    ["name", "callee"],
  ),
  voidResult: situation(
    "voidResult",
    "action `{name}` is declared `Promise<void>`; its result cannot be used",
    "call it as a statement (`await {name}(...)`), or declare the value it returns",
    ["name"],
  ),
  anonymousAction: situation(
    "anonymousAction",
    "action without a name (no name given, or an empty one, and an anonymous function)",
    "name it: `action(async function myAction(...) {...})` or `action(\"my-action\", async (...) => {...})`",
  ),
  anonymousImportedAction: situation(
    "anonymousAction",
    "the action `{callee}`, imported from {file}, has no name",
    "name it where it is defined: `action(async function myAction(...) {...})` or `action(\"my-action\", async (...) => {...})`",
    ["callee", "file"],
  ),
  workflowParam: situation(
    "workflowParam",
    "workflow parameter `{param}` is not a plain identifier",
    "take a plain parameter (`input: Input`) and destructure it in the body",
    ["param"],
  ),
  workflowNotFunction: situation("workflowDefinition", "workflow(...) must wrap a function expression", "write `workflow(async function name(input) { ... })`"),
  anonymousWorkflow: situation(
    "workflowDefinition",
    "anonymous workflow",
    "name it: `workflow(\"name\", async (...) => {...})` or assign it to a const",
  ),
  anonymousWorkflowClass: situation("workflowDefinition", "anonymous workflow class", "name the class or pass a name: `@workflow(\"name\")`"),
  workflowClassNotExtending: situation(
    "workflowDefinition",
    "workflow class `{name}` does not extend Workflow",
    "declare it as `class X extends Workflow` with Workflow imported from \"cairnjs\"",
    ["name"],
  ),
  workflowClassWithoutRun: situation(
    "workflowDefinition",
    "workflow class `{name}` has no `run` method",
    "add `async run(...) { ... }`: its body is the workflow",
    ["name"],
  ),
  workflowTwiceInFile: situation("workflowDefinition", "a second workflow named `{name}` in this file", "give each workflow its own name", ["name"]),
  actionNameClash: situation(
    "actionNameClash",
    "two different actions are named `{name}` ({first} and {second}); a worker finds an action by its name, so one of them would run for both",
    "give one of them a name of its own: `action(\"{name}-2\", ...)`",
    ["name", "first", "second"],
  ),
  actionNotExported: situation(
    "actionNotExported",
    "the action `{name}` is not exported from {file}: workers find actions among the exports of modules, so no worker would run `{callee}(...)`",
    "export it (`export const {local} = action(...)`), or hand it to your worker yourself",
    ["name", "file", "callee", "local"],
  ),
  internal: situation(
    "internal",
    "internal compiler error while compiling {what}: {detail}",
    "this is a bug in cairn; please report it with the workflow source",
    ["what", "detail"],
  ),
};

/** Every situation the compiler reports, by name: what Reporter.report takes. */
export const Situations = { ...Situations1xx, ...UnsupportedSyntax, ...PrimitiveMisuse, ...BuildClashes, ...ChildrenAndMessages, ...ScheduleMisuse };
export type SituationName = keyof typeof Situations;

/** The values a situation's wording needs: exactly its placeholders, each a string. */
export type SituationArgs<S extends SituationName> = { readonly [K in (typeof Situations)[S]["params"][number]]: string };

/** The situations whose wording has no placeholder. */
export type ValuelessSituation = { [S in SituationName]: [keyof SituationArgs<S>] extends [never] ? S : never }[SituationName];
