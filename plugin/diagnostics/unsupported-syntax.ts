import { situation } from "./rules.ts";

/** CAIRN113, JavaScript a workflow body cannot contain: one entry per construct, each with the alternative to write. */
const unsupported = <const P extends readonly string[] = []>(what: string, hint: string, params?: P) =>
  situation("unsupported", `${what} is not supported in a workflow body`, hint, params);

const REWRITE = "rewrite it with the constructs listed in docs/ir.md, or move it into an action";
const SINGLE_ARGUMENT = "pass only the callback";

export const UnsupportedSyntax = {
  unsupportedStatement: unsupported("{statement}", REWRITE, ["statement"]),
  unsupportedExpression: unsupported("`{expression}` ({type})", REWRITE, ["expression", "type"]),
  varDeclaration: unsupported("`var`", "declare it with `let` or `const`"),
  finallyBlock: unsupported("`finally`", "put the cleanup after the try/catch (and before any rethrow in the catch block)"),
  catchPattern: unsupported("destructuring the caught error", "write `catch (err)` and read `err.message` in the body"),
  forAwait: unsupported("`for await`", "use `for...of` over an array and await inside the body"),
  continueNonLoop: unsupported("`continue {label}` to a labelled statement that is not a loop", "continue a loop", ["label"]),
  jumpOutsideLoop: unsupported("`{statement}` outside a loop or switch", "use break/continue inside a loop", ["statement"]),
  classExpression: unsupported("a class expression", "declare classes at module level and construct instances inside actions"),
  commaOperator: unsupported("the comma operator", "split it into separate statements"),
  throwExpression: unsupported("a `throw` expression", "use a `throw` statement in a catch block"),
  privateField: unsupported("a private field", "use a plain property"),
  privateIn: unsupported("`#field in obj`", "use a plain property"),
  unsupportedOperator: unsupported("the `{operator}` operator", "rewrite the expression", ["operator"]),
  regexLiteral: unsupported("a regular expression literal", "use string methods, or do the matching inside an action"),
  bigintLiteral: unsupported("a BigInt literal", "workflow values must be JSON; use a number or a string"),
  logInExpression: unsupported("`{method}(...)` inside an expression", "call it as a statement of its own: `{method}(...);`", ["method"]),
  instanceofNonError: unsupported(
    "`instanceof {right}`",
    "`instanceof` can only match error classes (classes that extend Error); check a property such as `x.kind` instead",
    ["right"],
  ),
  builtinFunctionAsValue: unsupported("the builtin `{name}` used as a value", "call it where its result is needed: `{name}(...)`", ["name"]),
  builtinNamespaceAsValue: unsupported(
    "the builtin namespace `{name}` used as a value",
    "call its documented pure functions directly, such as `{example}(...)` (the list is in ir-schema/builtins.ts)",
    ["name", "example"],
  ),
  thisMember: unsupported("`{member}`", "a workflow class may only use `this.runAction(call, options)`; keep state in local variables", ["member"]),
  assignToThis: unsupported("assigning to `{target}`", "keep workflow state in local variables, not on `this`", ["target"]),
  assignTarget: unsupported("assigning to `{target}`", "assign to a property of a local variable", ["target"]),
  compoundAssignTarget: unsupported("`{operator}` on `{target}`", "assign to a variable or a property", ["operator", "target"]),
  updateTarget: unsupported("`{expression}`", "update a variable or a property", ["expression"]),
  patternTarget: unsupported(
    "the assignment target `{target}`",
    "assign to a local variable, a property of one, or a destructuring pattern",
    ["target"],
  ),
  callbackSecondArgument: unsupported("a second argument to `.{method}(...)`", SINGLE_ARGUMENT, ["method"]),
  callbackParams: unsupported(
    "the parameter list of this `.{method}` callback",
    "take one or two plain parameters, `(x)` or `(x, i)`, and destructure inside the expression",
    ["method"],
  ),
  callbackStatements: unsupported(
    "a `.{method}` callback with statements",
    "use an expression body, or a block with a single `return <expr>`",
    ["method"],
  ),
};
