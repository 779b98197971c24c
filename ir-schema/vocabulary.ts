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

/*
 * The authoring vocabulary: the words a workflow file is written in. The compiler
 * recognises them in source and runtime/api implements them; both read them
 * here, so neither can rename one without the other failing to type-check (and
 * test/vocabulary.test.ts checks that runtime/api exports exactly these names).
 */

/** The package a workflow file imports the authoring API from. */
export const PACKAGE_NAME = "cairnjs";
/** Node's promise timers, whose `setTimeout(ms)` a workflow body may await as a durable sleep. */
export const TimerModules = ["node:timers/promises", "timers/promises"] as const;
/** The export of TimerModules that sleeps. */
export const TIMER_SLEEP = "setTimeout";

/**
 * What each name `cairnjs` exports is to a workflow body: a `declaration` makes an
 * action or a workflow at module level; an `awaited` primitive is a durable step
 * when awaited; a `constructor` may be called with `new` in a body; an
 * `statement` primitive is a step that does not wait (`publish`); an
 * `errorClass` may be caught and matched with instanceof; `actionOnly` works
 * inside actions only; `moduleLevel` names are for code outside workflow bodies.
 */
export const AuthoringRoles = {
  action: "declaration",
  workflow: "declaration",
  Workflow: "declaration",
  runAction: "awaited",
  sleep: "awaited",
  receive: "awaited",
  send: "awaited",
  runWorkflow: "awaited",
  publish: "statement",
  schedule: "declaration",
  RetryPolicy: "constructor",
  ActionTimeoutError: "errorClass",
  MessageRejectedError: "errorClass",
  actionContext: "actionOnly",
  isAction: "moduleLevel",
  actionName: "moduleLevel",
  parseDuration: "moduleLevel",
  DEFAULT_RETRY: "moduleLevel",
  compiledWorkflow: "moduleLevel",
  isCompiledWorkflow: "moduleLevel",
  artifactOf: "moduleLevel",
} as const;
export type AuthoringName = keyof typeof AuthoringRoles;
export type AuthoringRole = (typeof AuthoringRoles)[AuthoringName];
export const AuthoringNames = Object.keys(AuthoringRoles) as AuthoringName[];

/** What `name`, imported from `cairnjs`, is; undefined for a name the package does not export. */
export function authoringRole(name: string): AuthoringRole | undefined {
  return Object.hasOwn(AuthoringRoles, name) ? AuthoringRoles[name as AuthoringName] : undefined;
}

/** The method of a `Workflow` subclass whose body is the workflow. */
export const WORKFLOW_RUN_METHOD = "run";
/** The keys of an action call's options: `runAction(call, { retry, timeout })`. */
export const CallOptionKeys = ["retry", "timeout"] as const;
export type CallOptionKey = (typeof CallOptionKeys)[number];
/** The keys of `receive(topic, { timeout })`'s options. */
export const ReceiveOptionKeys = ["timeout"] as const;
/** The keys of `schedule(spec, workflow, options)`'s options. */
export const ScheduleOptionKeys = ["timezone", "input", "catchUp", "overlap"] as const;
export const CatchUpPolicies = ["latest", "all", "none"] as const;
export const OverlapPolicies = ["skip", "allow"] as const;

/**
 * The runner-provided "actions" behind the instructions that are not action calls
 * (child, receive, send): a dispatch of one of these is carried like an action
 * call (a call id, a handle, an outcome), so state, history and the queue need
 * nothing new. `%` cannot begin a JavaScript identifier, so no action of a user
 * can take these names.
 */
export const SystemActions = { child: "%child", receive: "%receive", send: "%send" } as const;
export type SystemAction = (typeof SystemActions)[keyof typeof SystemActions];
export function isSystemAction(name: string): name is SystemAction {
  return name === SystemActions.child || name === SystemActions.receive || name === SystemActions.send;
}

/** The keys of a retry policy: `{ retry: { attempts, delay, ... } }` or `new RetryPolicy({ ... })`. */
export const RetryOptionKeys = ["attempts", "delay", "maxDelay", "factor", "nonRetryable"] as const;
export type RetryOptionKey = (typeof RetryOptionKeys)[number];

/**
 * Each word of a list as a constant of its own type (`Authoring.runAction` is
 * `"runAction"`), so code names a word the type checker follows rather than
 * writing a string it cannot.
 */
function wordsOf<const T extends string>(words: readonly T[]): { readonly [K in T]: K } {
  return Object.freeze(Object.fromEntries(words.map((w) => [w, w]))) as { readonly [K in T]: K };
}
export const Authoring = wordsOf(AuthoringNames);
export const CallOption = wordsOf(CallOptionKeys);
export const RetryOption = wordsOf(RetryOptionKeys);
