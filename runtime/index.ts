/** `cairn/runtime`: running workflows (local runner, interpreter) and the authoring API. */
export * from "./api/index.ts";
export { runLocal, realClock, virtualClock, collectActions, type RunLocalOptions, type Clock, type VirtualClock, type ActionSource, type LocalEvent } from "./local/index.ts";
export { WorkflowError } from "./workflow-error.ts";
export { runWithActionContext } from "./api/context.ts";
export { runAttempt, type AttemptOptions } from "./local/attempt.ts";
export { normalizeCallOptions, type NormalizedCallOptions } from "./api/options.ts";
export { normalizeRetry, resolveRetry, backoffDelay } from "./api/retry.ts";
export * as interpreter from "./interpreter/index.ts";
export { InputError, InterpreterError, type State, type Dispatch, type Outcome, type ErrorValue } from "./interpreter/index.ts";
export { loadArtifactDir, ArtifactDirError, type ArtifactDir, type ArtifactProblem } from "./artifacts/index.ts";
