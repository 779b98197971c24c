export { start, initialState, checkInput, advance, resolve, pendingCalls, isReady, InputError, type AdvanceOptions } from "./machine.ts";
export type { State, Status, CallRecord, Wait, CallsWait, SleepWait, Dispatch, Outcome, AdvanceResult, LogEntry } from "./state.ts";
export { stateToJson, stateFromJson } from "./codec.ts";
export { InterpreterError, errorFromThrown, errorClassName, capError, isErrorValue, matchesError, makeError, type ErrorValue } from "./errors.ts";
export { evaluate, type Scope } from "./eval/evaluate.ts";
