import { errorClassName, errorStack, type ErrorValue } from "../interpreter/errors.ts";
import { remoteCause } from "../interpreter/error-stack.ts";

/**
 * A failed (or cancelled) instance's error, thrown by `result()`; its name is the
 * error's class name, and its `cause` carries the stored stack of where it was
 * thrown (an action in some worker), when there is one.
 */
export class WorkflowFailedError extends Error {
  constructor(readonly error: ErrorValue, readonly instanceId: string) {
    const name = errorClassName(error);
    super(error.message, remoteCause(name, error.message, errorStack(error)));
    this.name = name;
  }
}
