import { errorClassName, type ErrorValue } from "../interpreter/errors.ts";

/** A failed (or cancelled) instance's error, thrown by `result()`; its name is the error's class name. */
export class WorkflowFailedError extends Error {
  constructor(readonly error: ErrorValue, readonly instanceId: string) {
    super(error.message);
    this.name = errorClassName(error);
  }
}
