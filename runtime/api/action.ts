/**
 * An action is the user's function itself (callable directly, plain result), wrapped
 * once so it carries its durable name. The brand is a registered symbol so that two
 * copies of this module (e.g. loaded through "cairnjs" and through a relative path)
 * still recognise each other's actions.
 */
const ACTION = Symbol.for("cairn.action");

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- user functions have arbitrary signatures
export type AnyFunction = (...args: any[]) => unknown;
export type Action<F extends AnyFunction = AnyFunction> = F & { readonly actionName: string };

export function action<F extends AnyFunction>(fn: F): Action<F>;
export function action<F extends AnyFunction>(name: string, fn: F): Action<F>;
export function action<F extends AnyFunction>(nameOrFn: string | F, maybeFn?: F): Action<F> {
  const fn = typeof nameOrFn === "function" ? nameOrFn : maybeFn;
  if (typeof fn !== "function") {
    throw new TypeError("action(fn) / action(name, fn): expected a function");
  }
  const name = typeof nameOrFn === "string" ? nameOrFn : fn.name;
  if (!name) {
    throw new TypeError("action(fn): an anonymous function needs an explicit name: action(\"my-action\", fn)");
  }
  const wrapped = function (this: unknown, ...args: unknown[]): unknown {
    return fn.apply(this, args);
  };
  Object.defineProperty(wrapped, "name", { value: fn.name || name });
  Object.defineProperty(wrapped, "length", { value: fn.length });
  Object.defineProperty(wrapped, "actionName", { value: name, enumerable: true });
  Object.defineProperty(wrapped, ACTION, { value: fn });
  return wrapped as unknown as Action<F>;
}

export function isAction(value: unknown): value is Action {
  return typeof value === "function" && Object.prototype.hasOwnProperty.call(value, ACTION);
}

/** The durable name of an action; throws for anything that is not one. */
export function actionName(value: unknown): string {
  if (!isAction(value)) throw new TypeError("actionName(x): x is not an action (wrap the function with action(...))");
  return value.actionName;
}
