/**
 * bench:otel's baseline: runtime/telemetry/telemetry.ts as if the runtime had no
 * instrumentation. Copied over the real module in a worktree of this commit, so the
 * baseline differs from this tree by exactly the @opentelemetry/api calls: every
 * method does nothing and none touches the API. Same exports as the real module
 * (the types are only imported as types elsewhere, so only values matter here).
 */
import type { Telemetry as Real } from "../runtime/telemetry/telemetry.ts";

export const now = (): number => performance.timeOrigin + performance.now();

const NO_SPAN = { carrier: null, end(): void {} };
/** No context: the worker then runs the action without entering one (task-attempt.ts). */
const NO_ATTEMPT = { context: undefined as unknown as ReturnType<Real["attempt"]>["context"], end(): void {} };

export class Telemetry implements Pick<Real, "startSpan" | "segments" | "attempt"> {
  startSpan(): ReturnType<Real["startSpan"]> {
    return NO_SPAN;
  }

  segments(): void {}

  attempt(): ReturnType<Real["attempt"]> {
    return NO_ATTEMPT;
  }
}
