import { errorClassName, errorStack, type ErrorValue } from "./interpreter/errors.ts";
import { remoteCause } from "./interpreter/error-stack.ts";

/**
 * How a failed workflow surfaces to its caller: `name` is the class of the error
 * that escaped the workflow (what users look for; see errorClassName), `message` its message, `ancestry` its class chain, `error` the full
 * error value (with the error's own data properties), `cause` an Error carrying
 * the stored stack of where it was thrown, when there is one.
 */
export class WorkflowError extends Error {
  readonly ancestry: readonly string[];
  readonly error: ErrorValue;

  constructor(error: ErrorValue) {
    const name = errorClassName(error);
    super(error.message, remoteCause(name, error.message, errorStack(error)));
    Object.defineProperty(this, "name", { value: name, enumerable: false, writable: true, configurable: true });
    this.ancestry = [...error.ancestry];
    this.error = error;
  }
}
