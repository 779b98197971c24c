import { isErrorValue } from "./errors.ts";
import { caughtValue } from "./error-boundary.ts";
import type { State } from "./state.ts";
import { ErrorObject, setOwn, visitObjects } from "./values.ts";

/**
 * States saved in formats 1 and 2 held a caught error as a plain object
 * `{ name, message, ancestry, ...data }`, matched by `instanceof` through its
 * `ancestry`. Read today, each such object becomes the ErrorObject it stood for
 * (error-boundary.ts caughtValue), in every place that held it, so an instance
 * saved inside a catch block continues as it would have: its error still matches
 * `instanceof`, and its class chain leaves its own keys. (User data of that exact
 * shape is taken for an error, as those formats took it.)
 */
export function upgradeLegacyErrors(state: State): State {
  const calls = Object.values(state.calls);
  const roots: unknown[] = [...Object.values(state.vars), ...calls.map((c) => c.args), ...calls.map((c) => c.value), ...calls.map((c) => c.error)];
  const upgraded = new Map<object, unknown>();
  const containers: object[] = [];
  visitObjects(roots, (o) => {
    if (isErrorValue(o) && !(o instanceof ErrorObject)) upgraded.set(o, caughtValue(o));
    else containers.push(o);
  });
  if (upgraded.size === 0) return state;
  const swap = (v: unknown): unknown => (typeof v === "object" && v !== null && upgraded.has(v) ? upgraded.get(v) : v);
  for (const o of containers) {
    if (Array.isArray(o)) {
      for (let i = 0; i < o.length; i++) if (i in o) o[i] = swap(o[i]);
    } else {
      for (const key of Object.keys(o)) setOwn(o, key, swap((o as Record<string, unknown>)[key]));
    }
  }
  for (const name of Object.keys(state.vars)) setOwn(state.vars, name, swap(state.vars[name]));
  for (const call of calls) {
    if (call.value !== undefined) call.value = swap(call.value);
    if (call.error !== undefined) call.error = swap(call.error);
  }
  return state;
}
