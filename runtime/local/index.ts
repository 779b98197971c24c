export { runLocal, startLocal, type RunLocalOptions, type LocalHandle } from "./run-local.ts";
export { realClock, virtualClock, type Clock, type VirtualClock } from "../runner/clock.ts";
export { collectActions, type ActionSource } from "../runner/actions.ts";
export { runAttempt, type AttemptOptions } from "../runner/attempt.ts";
export type { LocalEvent } from "./events.ts";
