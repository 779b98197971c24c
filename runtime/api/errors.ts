import { Authoring } from "../../ir-schema/vocabulary.ts";

/**
 * What a call fails with when an attempt ran past its `timeout`. The attempt's
 * `AbortSignal` is aborted at the same moment, and the timeout counts as a failed
 * attempt (so it is retried like any other failure).
 */
export class ActionTimeoutError extends Error {
  // The compiler matches `catch` and `instanceof ActionTimeoutError` by this name.
  override name: string = Authoring.ActionTimeoutError;
  readonly action?: string;
  readonly timeoutMs?: number;

  constructor(message = "action timed out", details: { action?: string; timeoutMs?: number } = {}) {
    super(message);
    if (details.action !== undefined) this.action = details.action;
    if (details.timeoutMs !== undefined) this.timeoutMs = details.timeoutMs;
  }
}

/**
 * What sending a message fails with when its instance cannot receive it: there is
 * no such instance, or it has finished. Inside a workflow, `await send(...)`
 * rejects with it (catch it with `instanceof MessageRejectedError`).
 */
export class MessageRejectedError extends Error {
  override name: string = Authoring.MessageRejectedError;
}
