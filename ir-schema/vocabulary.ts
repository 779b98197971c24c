/**
 * The IR's version and closed vocabularies (operators, array functions, globals,
 * await modes), apart from the schema built from them (schema.ts): the compiler
 * needs the words, not the schema library, which a bundler plugin would otherwise
 * load into every build process for nothing.
 */
export const IR_VERSION = 1;

export const UnaryOps = ["!", "-", "+", "~", "typeof", "void"] as const;
export const BinaryOps = [
  "+", "-", "*", "/", "%", "**", "==", "!=", "===", "!==", "<", "<=", ">", ">=",
  "in", "&", "|", "^", "<<", ">>", ">>>",
] as const;
export const LogicalOps = ["&&", "||", "??"] as const;
export const ArrayFns = ["map", "filter", "some", "every", "find", "findIndex", "flatMap"] as const;
export const Globals = ["undefined", "NaN", "Infinity"] as const;
export const AwaitModes = ["one", "all", "allSettled"] as const;
/** Array methods `for...of` iterates live (`for (const [i, x] of xs.entries())`), as JavaScript's array iterators do. */
export const IterMethods = ["keys", "values", "entries"] as const;
/** The `console` methods a workflow body may call; each is a `log` instruction of that level. */
export const LogLevels = ["log", "info", "warn", "error", "debug"] as const;
