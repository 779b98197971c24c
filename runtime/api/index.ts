export { action, isAction, actionName, type Action, type AnyFunction } from "./action.ts";
export { workflow, Workflow, runAction, type WorkflowClass, type WorkflowBody, type WorkflowFunction } from "./workflow.ts";
export { sleep } from "./sleep.ts";
export { RetryPolicy, DEFAULT_RETRY, type RetryOptions, type ResolvedRetry } from "./retry.ts";
export { ActionTimeoutError } from "./errors.ts";
export { actionContext, type ActionContext } from "./context.ts";
export { parseDuration, type Duration } from "./duration.ts";
export type { CallOptions } from "./options.ts";
export { compiledWorkflow, isCompiledWorkflow, artifactOf, type CompiledWorkflow, type WorkflowLike } from "./compiled.ts";
