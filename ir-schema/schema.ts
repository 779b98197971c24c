/**
 * The Cairn IR, defined once. TypeBox gives us, from this single definition, the
 * TypeScript types (`Static`), the JSON Schema checked in as `cairn-ir.schema.json`
 * and the validator, with no code generation step and no `eval` (we use the
 * interpretive `Value` checker, never the JIT `TypeCompiler`).
 *
 * Glossary
 * - Artifact: one compiled workflow: header (name, params, actions, hash) + program.
 * - Program: a flat control-flow graph. `blocks[i]` is block `i`; `entry` is where
 *   execution starts. There is no nesting: loops and branches are jumps.
 * - Block: straight-line `instrs` followed by exactly one terminator `term`.
 *   `handler` is the innermost enclosing `catch` (static, like a handler table):
 *   an error raised anywhere in the block jumps there with the error bound to a var.
 * - Instr: a statement that may suspend (`await`, `sleep`) or not (`assign`, `push`,
 *   `publish`, and `call`, `child`, `receive`, `send`, which only *dispatch* an
 *   action, a child workflow, a wait for a message or a message, and bind a handle).
 * - Expr: a pure expression tree. It never dispatches or awaits; the compiler has
 *   already pulled every `await` out into instructions and temporaries.
 * - Handle: the value an un-awaited action call evaluates to; `await` turns it into
 *   the action's result. Handles never escape into user-visible values.
 * - Call id: `site` + the current values of the `iter` counter vars, e.g. `c3@2.0`:
 *   stable across replays because it names the call site and loop iteration.
 * - loc: `"path/relative/to/root.ts:LINE:COL"` (1-based) of the statement an
 *   instruction or terminator came from. Expressions have none.
 * - Temporaries introduced by the compiler start with `%`, so they can never
 *   collide with a JavaScript identifier.
 */
import { Type, type TLiteral, type TSchema, type TUnion } from "@sinclair/typebox";
import { ArrayFns, AwaitModes, BinaryOps, Globals, IR_VERSION, IterMethods, LogLevels, LogicalOps, UnaryOps } from "./vocabulary.ts";

export { IR_VERSION, UnaryOps, BinaryOps, LogicalOps, ArrayFns, Globals, AwaitModes, IterMethods, LogLevels } from "./vocabulary.ts";

const Loc = Type.String({ pattern: "^.+:[0-9]+:[0-9]+$", description: "path:line:col, 1-based" });
const Name = Type.String({ minLength: 1 });
const BlockId = Type.Integer({ minimum: 0 });
const Json = Type.Unknown({ description: "any JSON value" });

/** An instruction or terminator: where it is in the source is what runtime messages and status displays show. */
function node<K extends string, P extends Record<string, TSchema>>(kind: K, props: P) {
  return Type.Object({ kind: Type.Literal(kind), ...props, loc: Loc }, { additionalProperties: false });
}

/**
 * An expression (or an item or property of one). The compiler gives these no
 * `loc` (it was a third of an artifact and nothing read it); artifacts of earlier
 * compilers have one, and stay loadable: instances started from them may still
 * be running.
 */
function expr<K extends string, P extends Record<string, TSchema>>(kind: K, props: P) {
  return Type.Object({ kind: Type.Literal(kind), ...props, loc: Type.Optional(Loc) }, { additionalProperties: false });
}

const E = Type.Ref("Expr");


type LiteralTuple<T extends readonly string[]> = { -readonly [I in keyof T]: TLiteral<T[I]> };
const lits = <const T extends readonly string[]>(xs: T) =>
  Type.Union(xs.map((x) => Type.Literal(x))) as unknown as TUnion<LiteralTuple<T>>;

export const IrModule = Type.Module({
  // ---- expressions (pure) -------------------------------------------------
  Lit: expr("lit", { value: Json }),
  Global: expr("global", { name: lits(Globals) }),
  Var: expr("var", { name: Name }),
  Member: expr("member", { object: E, property: E, optional: Type.Boolean() }),
  /** A documented pure builtin function, by dotted name: `Math.max`, `String`, `JSON.stringify`. */
  Builtin: expr("builtin", { name: Name, args: Type.Array(Type.Ref("Item")) }),
  /** A pure method on a runtime value (string/array/number), dispatched on its type. */
  Method: expr("method", { object: E, name: Name, args: Type.Array(Type.Ref("Item")), optional: Type.Boolean() }),
  Unary: expr("unary", { op: lits(UnaryOps), arg: E }),
  Binary: expr("binary", { op: lits(BinaryOps), left: E, right: E }),
  Logical: expr("logical", { op: lits(LogicalOps), left: E, right: E }),
  Cond: expr("cond", { test: E, then: E, else: E }),
  ArrayLit: expr("array", { items: Type.Array(Type.Ref("Item")) }),
  ObjectLit: expr("object", { props: Type.Array(Type.Union([Type.Ref("Prop"), Type.Ref("Spread")])) }),
  Template: expr("template", { quasis: Type.Array(Type.String()), exprs: Type.Array(E) }),
  /** `value instanceof ClassName`, matched by class name against the error's ancestry. */
  IsError: expr("isError", { value: E, className: Name }),
  /** `source.fn((param, index) => body)` with a pure arrow body. */
  ArrayFn: expr("arrayFn", {
    fn: lits(ArrayFns), source: E, param: Name, index: Type.Union([Name, Type.Null()]), body: E,
  }),
  /** `new RetryPolicy(options)`: an object whose omitted `attempts` is 100. */
  RetryPolicy: expr("retryPolicy", { options: E }),
  /**
   * The iterator `for...of` takes from `value`, following the built-in iterators: an
   * array is read live, by index, at each step; a string by code point. `method` is
   * the array method called on `value` (`xs.entries()`), null for `value` itself.
   * Anything else is the TypeError JavaScript raises ("x is not iterable").
   * Evaluates to the iterator's state, which only `next` reads.
   */
  Iter: expr("iter", { value: E, method: Type.Union([lits(IterMethods), Type.Null()]) }),
  Spread: expr("spread", { value: E }),
  Prop: expr("prop", { key: E, value: E }),
  Item: Type.Union([E, Type.Ref("Spread")]),
  Expr: Type.Union([
    Type.Ref("Lit"), Type.Ref("Global"), Type.Ref("Var"), Type.Ref("Member"), Type.Ref("Builtin"),
    Type.Ref("Method"), Type.Ref("Unary"), Type.Ref("Binary"), Type.Ref("Logical"), Type.Ref("Cond"),
    Type.Ref("ArrayLit"), Type.Ref("ObjectLit"), Type.Ref("Template"), Type.Ref("IsError"),
    Type.Ref("ArrayFn"), Type.Ref("RetryPolicy"), Type.Ref("Iter"),
  ]),

  // ---- instructions -------------------------------------------------------
  /** `target[path...] = value`; an empty path assigns the variable itself. */
  Assign: node("assign", { target: Name, path: Type.Array(E), value: E }),
  /** `target[path...].push(...items)`; `items` evaluates to the array of values appended. */
  Push: node("push", { target: Name, path: Type.Array(E), items: E }),
  /**
   * Dispatch one action call without waiting; binds a handle to `target`.
   * `args` evaluates to the positional argument array; `options` to
   * `{ retry?, timeout? }` or is null for the defaults.
   */
  Call: node("call", {
    site: Name, iter: Type.Array(Name), action: Name, args: E, options: Type.Union([E, Type.Null()]), target: Name,
  }),
  /**
   * Suspension point. `one`: `value` is a handle (or any value, which passes through).
   * `all` / `allSettled`: `value` is an array of handles/values; `all` fails fast
   * with the first failure, `allSettled` yields `{status, value|reason}` records.
   */
  Await: node("await", { mode: lits(AwaitModes), value: E, target: Type.Union([Name, Type.Null()]) }),
  /** Durable sleep; `duration` evaluates to milliseconds or a duration string. */
  Sleep: node("sleep", { duration: E }),
  /** One step of the iterator `iterator` holds (made by `iter`): `target` = `{ value, done }`. */
  Next: node("next", { iterator: Name, target: Name }),
  /**
   * `console.log(...args)` (or info/warn/error/debug): evaluates `args` and hands the
   * values to the runner, once, when the instruction runs. `site` + the `iter`
   * counters name this execution of it, as for a call: `l2@3`.
   */
  Log: node("log", { level: lits(LogLevels), site: Name, iter: Type.Array(Name), args: Type.Array(Type.Ref("Item")) }),
  /**
   * Start a child instance of the workflow `workflow` without waiting; binds a
   * handle to `target`, which `await` turns into the child's result (or its error).
   * `args` evaluates to the positional argument array.
   */
  Child: node("child", { site: Name, iter: Type.Array(Name), workflow: Name, args: E, target: Name }),
  /**
   * Wait for the next message sent to this instance on `topic` (a string); binds a
   * handle to `target` whose value is the message, or null once `timeout`
   * (milliseconds or a duration string; null: none) has passed first.
   */
  Receive: node("receive", { site: Name, iter: Type.Array(Name), topic: E, timeout: Type.Union([E, Type.Null()]), target: Name }),
  /** Send `message` to the instance whose id `instance` holds, on `topic`, exactly once; binds a handle to `target`. */
  Send: node("send", { site: Name, iter: Type.Array(Name), instance: E, topic: E, message: E, target: Name }),
  /** Record `value` as the latest published value of `key` (a string) for this instance. */
  Publish: node("publish", { key: E, value: E }),
  Instr: Type.Union([
    Type.Ref("Assign"), Type.Ref("Push"), Type.Ref("Call"), Type.Ref("Await"), Type.Ref("Sleep"), Type.Ref("Next"), Type.Ref("Log"),
    Type.Ref("Child"), Type.Ref("Receive"), Type.Ref("Send"), Type.Ref("Publish"),
  ]),

  // ---- terminators --------------------------------------------------------
  Jump: node("jump", { to: BlockId }),
  Branch: node("branch", { cond: E, then: BlockId, else: BlockId }),
  Return: node("return", { value: E }),
  /** Only ever rethrows a caught error (the compiler rejects any other `throw`). */
  Throw: node("throw", { value: E }),
  Term: Type.Union([Type.Ref("Jump"), Type.Ref("Branch"), Type.Ref("Return"), Type.Ref("Throw")]),

  // ---- structure ----------------------------------------------------------
  Handler: Type.Object({ block: BlockId, bind: Name }, { additionalProperties: false }),
  Block: Type.Object(
    {
      id: BlockId,
      handler: Type.Union([Type.Ref("Handler"), Type.Null()]),
      instrs: Type.Array(Type.Ref("Instr")),
      term: Type.Ref("Term"),
    },
    { additionalProperties: false },
  ),
  Program: Type.Object(
    { entry: BlockId, blocks: Type.Array(Type.Ref("Block"), { minItems: 1 }) },
    { additionalProperties: false },
  ),
  Artifact: Type.Object(
    {
      irVersion: Type.Literal(IR_VERSION),
      name: Name,
      /** `sha256:<hex>` of the canonical JSON of the artifact without this field. */
      hash: Type.String({ pattern: "^sha256:[0-9a-f]{64}$" }),
      source: Type.String({ description: "path of the defining file, relative to the project root" }),
      params: Type.Array(Name),
      /** Parameters the input may leave out (a default value, or `?`); absent when none. */
      optional: Type.Optional(Type.Array(Name, { minItems: 1 })),
      actions: Type.Array(Name),
      /** The workflows it starts as children (`child` instructions); absent when none. */
      workflows: Type.Optional(Type.Array(Name, { minItems: 1 })),
      /** Error class names the workflow matches with `instanceof`. */
      errors: Type.Array(Name),
      program: Type.Ref("Program"),
    },
    { additionalProperties: false },
  ),
});

export const ArtifactSchema = IrModule.Import("Artifact");
export const ExprSchema = IrModule.Import("Expr");
