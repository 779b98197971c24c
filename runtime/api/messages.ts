import { ReceiveOptionKeys } from "../../ir-schema/vocabulary.ts";
import type { Duration } from "./duration.ts";
import { parseDuration } from "./duration.ts";
import { checkKeys } from "./option-keys.ts";

/** `receive(topic, { timeout })`: how long to wait for a message before the call gives null. */
export interface ReceiveOptions {
  timeout?: Duration;
}

/**
 * Called as plain JavaScript, outside a compiled workflow, there is no instance to
 * receive or send for: say so instead of waiting forever.
 */
function notCompiled(what: string): Error {
  return new Error(
    `${what} works inside a compiled workflow only (the compiler turns it into a durable step); ` +
      "this call ran as plain JavaScript. Build the workflow with a cairn bundler plugin, or run it with runLocal",
  );
}

/**
 * Inside a compiled workflow: waits durably for the next message sent to this
 * instance on `topic` and returns it, or null when `timeout` passes first.
 */
export function receive<T = unknown>(topic: string, options?: ReceiveOptions): Promise<T | null> {
  if (options !== undefined) {
    checkKeys(options, ReceiveOptionKeys, "receive option");
    if (options.timeout !== undefined) parseDuration(options.timeout, "receive timeout");
  }
  return Promise.reject(notCompiled(`receive(${JSON.stringify(topic)})`));
}

/** Inside a compiled workflow: sends `message` to the instance `instanceId` on `topic`, exactly once. */
export function send(instanceId: string, topic: string, message: unknown): Promise<void> {
  void instanceId;
  void message;
  return Promise.reject(notCompiled(`send(…, ${JSON.stringify(topic)})`));
}

/**
 * Inside a compiled workflow: records `value` as the latest value of `key` for this
 * instance (read with `client.published(id)`). As plain JavaScript it does nothing.
 */
export function publish(key: string, value: unknown): void {
  void key;
  void value;
}
