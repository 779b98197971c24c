import { situation } from "./rules.ts";

/*
 * The situations of child workflows, messages and published values: starting a
 * workflow that cannot run as a child (CAIRN120), misusing `receive`, `send` or
 * `publish` (CAIRN121), and their un-awaited handles (CAIRN110, CAIRN114), each
 * with its own fixed wording.
 */

const RUN_WORKFLOW = "write `await runWorkflow(Invoice, orderId)` with a workflow declared by `workflow(...)` or `@workflow`, of this module or imported";
const AWAIT_OR_BIND = "await it (`await {call}`), or bind it (`const p = {call}`) and await `p` later";

export const ChildrenAndMessages = {
  classWorkflowCalled: situation(
    "workflowCall",
    "`{call}` calls the workflow class `{name}` as a function; a class-form workflow runs as a child through runWorkflow",
    "write `await runWorkflow({name}, ...args)`",
    ["call", "name"],
  ),
  runWorkflowTarget: situation("workflowCall", "the first argument of `{call}` is not a workflow", RUN_WORKFLOW, ["call"]),
  runWorkflowArguments: situation("workflowCall", "`{call}` names no workflow: runWorkflow takes a workflow, then its arguments", RUN_WORKFLOW, ["call"]),
  unresolvedImportCall: situation(
    "notCallable",
    "`{call}` calls `{name}`, an import its module does not export, so it is neither an action nor a workflow the compiler can see",
    "export it from its module (`export const {name} = workflow(...)` or `action(...)`), or fix the import",
    ["call", "name"],
  ),

  receiveArguments: situation(
    "messageMisuse",
    "`{call}`: receive takes a topic and an optional options object",
    "write `await receive(\"approval\")` or `await receive(\"approval\", { timeout: \"3d\" })`",
    ["call"],
  ),
  receiveOption: situation(
    "messageMisuse",
    "`{key}` is not an option of receive, which takes {keys}",
    "write `await receive(topic, { timeout: \"1h\" })`",
    ["key", "keys"],
  ),
  receiveOptionsShape: situation(
    "messageMisuse",
    "the options of `{call}` are not a plain object of known keys (a spread, a computed key or a method)",
    "write `{ timeout: \"1h\" }`, or pass an options object held in a variable",
    ["call"],
  ),
  sendArguments: situation(
    "messageMisuse",
    "`{call}`: send takes an instance id, a topic and a message",
    "write `await send(instanceId, \"done\", { orderId })`",
    ["call"],
  ),
  publishArguments: situation("messageMisuse", "`{call}`: publish takes a key and a value", "write `publish(\"stage\", \"waiting for approval\")`", ["call"]),
  publishAwaited: situation(
    "messageMisuse",
    "`{call}` is awaited, but publish is a statement that waits for nothing",
    "write it as a statement of its own: `{call};`",
    ["call"],
  ),
  publishInExpression: situation(
    "messageMisuse",
    "`{call}` is used as a value, but publish is a statement and gives nothing",
    "write it as a statement of its own: `{call};`",
    ["call"],
  ),
  publishHandle: situation(
    "messageMisuse",
    "`{call}` publishes the un-awaited call `{value}`: a published value is JSON, not a pending call",
    "await it first: `publish(key, await {value})`",
    ["call", "value"],
  ),
  publishHandleVar: situation(
    "messageMisuse",
    "`{name}` holds the un-awaited call `{callee}(...)` and is published: a published value is JSON, not a pending call",
    "await it first: `publish(key, await {name})`",
    ["name", "callee"],
  ),

  childAsValue: situation(
    "handleAsValue",
    "the un-awaited child workflow call `{call}` is used as a value",
    "await the call first (`const v = await {call}`), or pass it to `Promise.all([...])`",
    ["call"],
  ),
  receiveAsValue: situation(
    "handleAsValue",
    "`{call}` is used as a value without `await`: receive gives the message only when awaited",
    "write `await {call}`",
    ["call"],
  ),
  sendAsValue: situation("handleAsValue", "`{call}` is used as a value without `await`", "write `await {call}`", ["call"]),
  childVarAsValue: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited child workflow call `{callee}(...)` and is used as a value",
    "await it first (`const v = await {name}`), or pass it to `Promise.all([...])`",
    ["name", "callee"],
  ),
  receiveVarAsValue: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited `{callee}(...)` and is used as a value; the message is what awaiting it gives",
    "await it where the message is needed: `const m = await {name}`",
    ["name", "callee"],
  ),
  sendVarAsValue: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited `{callee}(...)` and is used as a value",
    "await it: `await {name}`",
    ["name", "callee"],
  ),
  stepVarReassigned: situation(
    "handleAsValue",
    "`{name}` holds the un-awaited `{callee}(...)` and cannot also be assigned another value",
    "await it first, or bind the call to a `const` of its own",
    ["name", "callee"],
  ),

  childCallDropped: situation("primitiveMisuse", "the child workflow call `{call}` is neither awaited nor bound to a variable", AWAIT_OR_BIND, ["call"]),
  receiveDropped: situation(
    "primitiveMisuse",
    "`{call}` is neither awaited nor bound to a variable: the message it takes would be lost",
    AWAIT_OR_BIND,
    ["call"],
  ),
  sendDropped: situation("primitiveMisuse", "`{call}` is neither awaited nor bound to a variable", AWAIT_OR_BIND, ["call"]),
  stepInCallback: situation(
    "primitiveMisuse",
    "`{callee}(...)` cannot be called inside a `.map`/`.filter` callback",
    "start one per element with `await Promise.all(xs.map((x) => {callee}(x)))`",
    ["callee"],
  ),
};
