/**
 * Sending a message to an instance: stored in the same transaction that matches it
 * with a waiting receive (the database's deliver(), which serialises a sender and
 * a receiver of one instance and topic, so neither can miss the other).
 */
import type { Json } from "../../ir-schema/index.ts";
import { MessageRejectedError } from "../api/errors.ts";
import { checkPayload, encodeWire, stringProblem } from "../payload.ts";
import type { Engine } from "./engine.ts";
import { InvalidInputError, storedKey } from "./engine.ts";

export interface SendOptions {
  /** A send repeated with the same key (a retry) stores the message once. */
  idempotencyKey?: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Checks a topic name: a non-empty string Postgres text can hold. */
export function checkTopic(topic: unknown): string {
  if (typeof topic !== "string" || topic === "") throw new InvalidInputError(`a message topic must be a non-empty string, not ${JSON.stringify(topic) ?? String(topic)}`);
  const problem = stringProblem(topic);
  if (problem !== undefined) throw new InvalidInputError(`the topic has ${problem}`);
  return topic;
}

export async function sendMessage(engine: Engine, id: string, topic: string, message: unknown, options: SendOptions): Promise<{ duplicate: boolean }> {
  checkTopic(topic);
  if (message === null || message === undefined) throw new InvalidInputError(`a message cannot be ${String(message)}`);
  const stored = encodeWire(checkPayload(message, `message on topic '${topic}'`, "message", engine.maxPayloadBytes)) as Json;
  const key = options.idempotencyKey === undefined ? null : storedKey(options.idempotencyKey);
  if (typeof id !== "string" || !UUID.test(id)) throw new MessageRejectedError(`no workflow instance ${JSON.stringify(id)}: instance ids are UUIDs`);
  const { status, inserted, repeated, delivered } = await engine.q.sendMessage(engine.db, id, topic, stored, key);
  // A worker of this process claims the receive it answered now, not when the NOTIFY arrives.
  if (delivered > 0) engine.hub.kick();
  if (status === null) throw new MessageRejectedError(`no workflow instance ${id}`);
  // The same key sent before (a retry after a crash): that send stands, even if the instance has finished since.
  if (!inserted && repeated) return { duplicate: true };
  if (!inserted) throw new MessageRejectedError(`workflow instance ${id} has finished (${status}); it receives no more messages`);
  return { duplicate: false };
}
