import { normalizeCallOptions, type CallOptions } from "./options.ts";

/**
 * Outside the runtime a workflow is plain JavaScript: `run` is an ordinary async
 * method and `runAction` simply returns the call it was given. The compiler reads
 * the same source and turns `runAction(call, opts)` into a durable call with options.
 */
export class Workflow {
  /** Set by `@workflow`. */
  static readonly workflowName?: string;

  runAction<T>(call: T, options?: CallOptions): T {
    return runAction(call, options);
  }
}

/** Function-form counterpart of `this.runAction`: returns `call` unchanged, after checking `options`. */
export function runAction<T>(call: T, options?: CallOptions): T {
  normalizeCallOptions(options);
  return call;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor signatures are the user's
export type WorkflowClass = abstract new (...args: any[]) => Workflow;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- body signatures are the user's
export type WorkflowBody = (...args: any[]) => Promise<unknown>;
export type WorkflowFunction<F extends WorkflowBody> = F & { readonly workflowName: string };
type ClassDecorator = <C extends WorkflowClass>(cls: C, context?: ClassDecoratorContext) => C;

export function workflow<C extends WorkflowClass>(cls: C, context?: ClassDecoratorContext): C;
export function workflow<F extends WorkflowBody>(fn: F): WorkflowFunction<F>;
export function workflow<F extends WorkflowBody>(name: string, fn: F): WorkflowFunction<F>;
export function workflow(name: string): ClassDecorator;
export function workflow(first: unknown, second?: unknown): unknown {
  if (typeof first === "string") {
    if (typeof second === "function") return wrapFunction(first, second as WorkflowBody);
    if (second !== undefined) throw new TypeError("workflow(name, fn): expected a function");
    return ((cls: WorkflowClass) => nameClass(cls, first)) as ClassDecorator;
  }
  if (typeof first !== "function") throw new TypeError("workflow(...): expected a class extending Workflow, a function or a name");
  if (isWorkflowClass(first)) return nameClass(first, first.name);
  return wrapFunction(first.name, first as WorkflowBody);
}

function isWorkflowClass(value: Function): value is WorkflowClass {
  return value.prototype instanceof Workflow || value === Workflow;
}

function nameClass<C extends WorkflowClass>(cls: C, name: string): C {
  if (!isWorkflowClass(cls)) throw new TypeError(`@workflow: class ${(cls as Function).name} must extend Workflow`);
  if (typeof (cls.prototype as { run?: unknown }).run !== "function") {
    throw new TypeError(`@workflow: class ${cls.name} must define an async run(...) method`);
  }
  // Works for both decorator protocols: legacy returns the class, standard may mutate it.
  Object.defineProperty(cls, "workflowName", { value: name, enumerable: true });
  return cls;
}

function wrapFunction<F extends WorkflowBody>(name: string, fn: F): WorkflowFunction<F> {
  const wrapped = function (this: unknown, ...args: unknown[]): Promise<unknown> {
    return fn.apply(this, args);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name || name });
  Object.defineProperty(wrapped, "length", { value: fn.length });
  Object.defineProperty(wrapped, "workflowName", { value: name, enumerable: true });
  return wrapped as unknown as WorkflowFunction<F>;
}
