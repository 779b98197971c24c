import { situation } from "./rules.ts";

/**
 * CAIRN114, a cairn primitive (an action call, `runAction`, `sleep`,
 * `Promise.all`, `RetryPolicy`) in a form or place it does not work in: one
 * entry per misuse, each hint the form that works.
 */
const misuse = <const P extends readonly string[] = []>(message: string, hint: string, params?: P) =>
  situation("primitiveMisuse", message, hint, params);

const FAN_OUT = "dispatch actions with `await Promise.all(xs.map((x) => myAction(x)))`, then transform the results";

export const PrimitiveMisuse = {
  primitiveNotAwaited: misuse("`{call}` must be awaited", "write `await {call}`", ["call"]),
  actionCallDropped: misuse(
    "the action call `{call}` is neither awaited nor bound to a variable",
    "await it (`await {call}`), or bind it (`const p = {call}`) and await `p` later",
    ["call"],
  ),
  actionOnlyPrimitive: misuse("`{callee}(...)` cannot be called inside a workflow body", "call {name}() inside an action", ["callee", "name"]),
  moduleLevelPrimitive: misuse("`{callee}(...)` cannot be called inside a workflow body", "use it at module level", ["callee"]),
  runActionArguments: misuse(
    "`{call}`: runAction takes an action call and an optional options object",
    "write `runAction(myAction(args), { retry: new RetryPolicy({ attempts: 3 }), timeout: \"30s\" })`",
    ["call"],
  ),
  sleepArguments: misuse("`{call}` needs exactly one duration", "write `await sleep(\"5s\")` or `await sleep(5000)`", ["call"]),
  retryPolicyArguments: misuse("`new RetryPolicy(...)` takes one options object", "write `new RetryPolicy({ attempts: 3, delay: \"1s\" })`"),
  combinatorNotAwaited: misuse("`{combinator}(...)` must be awaited directly", "write `await {combinator}([...])` where its result is needed", ["combinator"]),
  combinatorArguments: misuse(
    "`Promise.{mode}` takes exactly one array",
    "write `await Promise.{mode}([a(x), b(y)])` or `await Promise.{mode}(xs.map((x) => a(x)))`",
    ["mode"],
  ),
  awaitInFanOutArguments: misuse(
    "`await` inside the arguments of a `Promise.all(xs.map(...))` callback",
    "compute the arguments before `Promise.all`, e.g. `const args = await prepare(); await Promise.all(xs.map((x) => act(x, args)))`",
  ),
  actionInCallback: misuse(
    "action `{callee}` cannot be called inside a `.map`/`.filter` callback",
    "dispatch one call per element with `await Promise.all(xs.map((x) => {callee}(x)))`",
    ["callee"],
  ),
  awaitInCallback: misuse("`await` inside a `.map`/`.filter` callback", FAN_OUT),
  awaitInArrayCallback: misuse("`await` inside a `.{method}` callback", FAN_OUT, ["method"]),
  asyncArrayCallback: misuse("an async callback to `.{method}(...)` would start actions without awaiting them", FAN_OUT, ["method"]),
  asyncCallbackElsewhere: misuse(
    "an async callback to `.{method}(...)` may only dispatch one action per element, as in `await Promise.all(xs.map((x) => act(x)))`",
    "await the calls first (`const rs = await Promise.all(xs.map((x) => act(x)))`), then transform the results with a pure callback (`const ys = rs.map((r) => r + 1)`), or move the whole loop body into one action",
    ["method"],
  ),
};
