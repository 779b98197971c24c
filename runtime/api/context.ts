import { AsyncLocalStorage } from "node:async_hooks";

/** What an action can learn about the attempt it runs in. */
export interface ActionContext {
  readonly workflowId: string;
  /** The call id, stable across replays and attempts. */
  readonly actionId: string;
  /** 1-based try number. */
  readonly attempt: number;
  /** Same for every attempt of one call: pass it to external APIs to deduplicate. */
  readonly idempotencyKey: string;
  /** Aborted when the attempt times out (or the runner shuts down). */
  readonly signal: AbortSignal;
}

/**
 * One store per process, kept on a registered global symbol: a runner and the user's
 * actions may load different copies of this module, and they must share the store.
 */
const STORE = Symbol.for("cairn.actionContext");
function store(): AsyncLocalStorage<ActionContext> {
  const g = globalThis as { [STORE]?: AsyncLocalStorage<ActionContext> };
  return (g[STORE] ??= new AsyncLocalStorage<ActionContext>());
}

/** The context of the action attempt currently running; throws outside one. */
export function actionContext(): ActionContext {
  const ctx = store().getStore();
  if (!ctx) {
    throw new Error("actionContext() called outside an action: it is only available while a Cairn runner executes an action attempt");
  }
  return ctx;
}

/** Runs `fn` with `ctx` as the action context (used by runners around each attempt). */
export function runWithActionContext<T>(ctx: ActionContext, fn: () => T): T {
  return store().run(ctx, fn);
}
