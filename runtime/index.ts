/** `cairnjs/runtime`: running workflows (local runner, interpreter) and the authoring API. */
export * from "./api/index.ts";
export { runLocal, startLocal, realClock, virtualClock, collectActions, type RunLocalOptions, type LocalHandle, type Clock, type VirtualClock, type ActionSource, type LocalEvent } from "./local/index.ts";
export { WorkflowError } from "./workflow-error.ts";
export { runWithActionContext } from "./api/context.ts";
export { runAttempt, type AttemptOptions } from "./runner/attempt.ts";
export { normalizeCallOptions, type NormalizedCallOptions } from "./api/options.ts";
export { normalizeRetry, resolveRetry, backoffDelay } from "./api/retry.ts";
export * as interpreter from "./interpreter/index.ts";
export { InputError, InterpreterError, type State, type Dispatch, type Outcome, type ErrorValue, type LogEntry } from "./interpreter/index.ts";
export { loadArtifactDir, ArtifactDirError, type ArtifactDir, type ArtifactProblem } from "./artifacts/index.ts";
// The durable runtime: Postgres store, client, worker.
export {
  connect, Client, WorkflowFailedError, resolveDatabaseUrl, type ConnectOptions, type WorkflowRef,
  type InstanceHandle, type StartedHandle, type InstanceOutcome, type StartOptions,
} from "./durable/client.ts";
export type { WorkflowArgs, WorkflowResult, TypedWorkflow } from "./durable/workflow-signature.ts";
export { MissingPackageError } from "./missing-package.ts";
export { Worker, type WorkerOptions, type WorkerEvent } from "./durable/worker.ts";
export { UnknownScheduleError, type ScheduleInfo } from "./durable/schedule-queries.ts";
export { Engine, InvalidInputError, UnknownWorkflowError, type EngineOptions } from "./durable/engine.ts";
export { PayloadError } from "./payload.ts";
export type { InstanceStatusReport, TaskReport } from "./durable/status.ts";
export { connectDb, type Db, type Queryable, type DriverName } from "./store/db.ts";
export { migrate } from "./store/migrate.ts";
export { ensureEmbeddedPostgres, stopEmbeddedPostgres, type EmbeddedServer } from "./store/embedded.ts";
