import type { ErrorValue } from "./interpreter/errors.ts";

/**
 * How a failed workflow surfaces to its caller: `name` and `message` are those of
 * the error that escaped the workflow, `ancestry` its class chain, `error` the full
 * error value (with the error's own data properties).
 */
export class WorkflowError extends Error {
  readonly ancestry: readonly string[];
  readonly error: ErrorValue;

  constructor(error: ErrorValue) {
    super(error.message);
    Object.defineProperty(this, "name", { value: error.name, enumerable: false, writable: true, configurable: true });
    this.ancestry = [...error.ancestry];
    this.error = error;
  }
}
