export { runLocal, startLocal, type RunLocalOptions, type LocalHandle } from "./run-local.ts";
export { realClock, virtualClock, type Clock, type VirtualClock } from "./clock.ts";
export { collectActions, type ActionSource } from "./actions.ts";
export { runAttempt, type AttemptOptions } from "./attempt.ts";
export type { LocalEvent } from "./events.ts";
