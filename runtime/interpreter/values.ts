/**
 * Values in workflow state are real JavaScript values: primitives (including NaN,
 * ±Infinity, -0, `undefined` and strings that are not well-formed Unicode), plain
 * objects and arrays shared by reference exactly as JavaScript shares them, and
 * `Handle`s. codec.ts turns that object graph into JSON and back; copy.ts makes the
 * copies that cross the workflow's boundary.
 */

/**
 * Property access that never reaches a prototype: reads see own properties only,
 * writes define own data properties (so a key named `__proto__` is just data).
 */
export const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

export function getOwn(obj: object, key: string): unknown {
  return hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

export function setOwn(obj: object, key: string, value: unknown): void {
  // Plain assignment is the same for every other key of the interpreter's objects
  // (only `__proto__` is an accessor on Object.prototype) and much cheaper than
  // defineProperty, which also pushes V8 objects into slow dictionary mode.
  if (key === "__proto__") Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else (obj as Record<string, unknown>)[key] = value;
}

export const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Handle);

/**
 * The value an un-awaited action call evaluates to, standing for its promise. The
 * call id lives in a private field, so the workflow sees an object with no
 * properties (as it would see a promise: `Object.keys(h)` is `[]`, `JSON.stringify(h)`
 * is `"{}"`), user data can never be mistaken for one, and only the interpreter reads
 * the id. There is one handle per call (a call id is dispatched once), so the codec
 * restores identity by call id. Frozen: a property written onto it could not be
 * persisted, so the write fails instead of being lost at the next suspension.
 */
export class Handle {
  readonly #callId: string;
  constructor(callId: string) {
    this.#callId = callId;
    Object.freeze(this);
  }
  get callId(): string {
    return this.#callId;
  }
  // `String(h)` and template literals print it as JavaScript prints a promise.
  get [Symbol.toStringTag](): string {
    return "Promise";
  }
}

/**
 * An Error as a workflow holds it (a caught error, a rejected `allSettled` entry,
 * an error the interpreter raises): its own properties are the thrown error's own
 * properties as JavaScript has them (the data it carries, enumerable; `message`
 * non-enumerable unless the class made it a field; `name` only when the class set
 * one of its own), so `Object.keys`, `JSON.stringify`, spreads and `in` see what
 * they would see on the real error. What the error's prototype chain stood for is
 * kept in private fields no workflow can reach: the `name` its prototype would
 * give (read when there is no own `name`) and the class chain `instanceof`
 * matches (most derived first). So is the stack of the Error an action threw
 * (errors.ts STACK_KEY): kept for the error value a rethrow makes, while `e.stack`
 * in the workflow stays what it always was (undefined: reads see own data only).
 * The codec writes all three (heap-codec.ts).
 */
export class ErrorObject {
  readonly #name: string;
  readonly #ancestry: readonly string[];
  #stack: string | undefined;
  constructor(inheritedName: string, ancestry: readonly string[], stack?: string) {
    this.#name = inheritedName;
    this.#ancestry = ancestry;
    this.#stack = stack;
  }
  /** The frames of the stack of the Error this one was caught as, if it had any. */
  get hiddenStack(): string | undefined {
    return this.#stack;
  }
  /** Gives an error the interpreter raised the workflow's location as its stack (machine.ts). */
  locate(frame: string): void {
    this.#stack ??= frame;
  }
  /** The `name` the prototype chain gives when the error has no own `name`. */
  get inheritedName(): string {
    return this.#name;
  }
  get ancestry(): readonly string[] {
    return this.#ancestry;
  }
  /**
   * Error.prototype.toString, for native conversions (`err + ""`, `String(err)`);
   * an own `toString` property shadows it, as it would the real one.
   */
  toString(): string {
    const name = errorProp(this, "name");
    const message = errorProp(this, "message");
    const n = name === undefined ? "Error" : String(name);
    const m = message === undefined ? "" : String(message);
    return n === "" ? m : m === "" ? n : `${n}: ${m}`;
  }
}

/** `error[key]` for `name` and `message`: the own property, else what Error's prototype chain gives. */
export function errorProp(error: ErrorObject, key: "name" | "message"): unknown {
  if (hasOwn(error, key)) return (error as unknown as Record<string, unknown>)[key];
  return key === "name" ? error.inheritedName : "";
}

export function makeHandle(callId: string): Handle {
  return new Handle(callId);
}

/** The call id of a handle, or undefined for any other value. */
export function handleCallId(value: unknown): string | undefined {
  return value instanceof Handle ? value.callId : undefined;
}

/**
 * Visits every object and array reachable from `roots` once, depth-first in
 * property order, with an explicit stack: data thousands of levels deep never grows
 * the JavaScript stack. Stops early when `visit` returns true, and says whether it did.
 */
export function visitObjects(roots: readonly unknown[], visit: (o: object) => boolean | void): boolean {
  const seen = new Set<object>();
  const todo: unknown[] = [];
  for (let i = roots.length - 1; i >= 0; i--) todo.push(roots[i]);
  while (todo.length > 0) {
    const value = todo.pop();
    if (typeof value !== "object" || value === null || seen.has(value)) continue;
    seen.add(value);
    if (visit(value) === true) return true;
    if (Array.isArray(value)) {
      for (let i = value.length - 1; i >= 0; i--) if (typeof value[i] === "object") todo.push(value[i]);
    } else {
      const keys = Object.keys(value);
      for (let i = keys.length - 1; i >= 0; i--) {
        const child = (value as Record<string, unknown>)[keys[i]];
        if (typeof child === "object") todo.push(child);
      }
    }
  }
  return false;
}

/** The first handle found anywhere inside `value`, if any. */
export function findHandle(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  let found: string | undefined;
  visitObjects([value], (o) => {
    found = handleCallId(o);
    return found !== undefined;
  });
  return found;
}
