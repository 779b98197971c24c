/** What `client.start()` and `client.handle(id)` return: one instance, with its result typed as its workflow returns it. */
import type { Json } from "../../ir-schema/index.ts";
import type { SendOptions } from "./messages.ts";
import type { InstanceStatusReport } from "./status.ts";

export interface InstanceHandle<R = Json> {
  readonly id: string;
  /**
   * Waits for the instance to finish: its result (as it crossed JSON: payload
   * rules, docs/operations.md), or throws its error (WorkflowFailedError).
   */
  result(options?: { timeoutMs?: number }): Promise<R>;
  status(): Promise<InstanceStatusReport>;
  /** Cancels the instance: true, or false when it had already finished. */
  cancel(reason?: string): Promise<boolean>;
  send(topic: string, message: unknown, options?: SendOptions): Promise<void>;
  published(): Promise<Record<string, Json>>;
  waitPublished(key: string, options?: { timeoutMs?: number }): Promise<Json>;
}

/** A started instance: `created` is false when an idempotency key returned one started before. */
export type StartedHandle<R = Json> = InstanceHandle<R> & { readonly created: boolean };

/** What a handle asks the client for. */
export interface HandleHost {
  result(id: string, options?: { timeoutMs?: number }): Promise<Json>;
  status(id: string): Promise<InstanceStatusReport>;
  cancel(id: string, reason?: string): Promise<boolean>;
  send(id: string, topic: string, message: unknown, options?: SendOptions): Promise<void>;
  published(id: string): Promise<Record<string, Json>>;
  waitPublished(id: string, key: string, options?: { timeoutMs?: number }): Promise<Json>;
}

export function makeHandle<R = Json>(host: HandleHost, id: string): InstanceHandle<R> {
  return {
    id,
    // The result's type is the workflow's (start() knows it from the handle it was given); its value is what was stored.
    result: (opts) => host.result(id, opts) as Promise<R>,
    status: () => host.status(id),
    cancel: (reason) => host.cancel(id, reason),
    send: (topic, message, options) => host.send(id, topic, message, options),
    published: () => host.published(id),
    waitPublished: (key, options) => host.waitPublished(id, key, options),
  };
}
