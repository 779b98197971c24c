import { errorClassName, type ErrorValue } from "./interpreter/errors.ts";

/**
 * How a failed workflow surfaces to its caller: `name` is the class of the error
 * that escaped the workflow (what users look for; see errorClassName), `message` its message, `ancestry` its class chain, `error` the full
 * error value (with the error's own data properties).
 */
export class WorkflowError extends Error {
  readonly ancestry: readonly string[];
  readonly error: ErrorValue;

  constructor(error: ErrorValue) {
    super(error.message);
    Object.defineProperty(this, "name", { value: errorClassName(error), enumerable: false, writable: true, configurable: true });
    this.ancestry = [...error.ancestry];
    this.error = error;
  }
}
