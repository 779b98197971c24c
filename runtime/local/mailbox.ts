import type { Json } from "../../ir-schema/index.ts";

/**
 * The messages of one local instance and the receives waiting for them: a message
 * goes to the oldest receive of its topic, or waits for the next one, so each is
 * received once, in the order sent (the durable runtime's deliver(), in memory).
 */
export class Mailbox {
  private readonly queued = new Map<string, Json[]>();
  private readonly waiting = new Map<string, Array<(message: Json) => void>>();
  /** Every message ever given, for inspection: topic, message, and whether a receive took it. */
  readonly log: Array<{ topic: string; message: Json; received: boolean }> = [];

  /** Hands `message` to the oldest waiting receive of `topic`, or keeps it for the next. */
  put(topic: string, message: Json): void {
    const entry = { topic, message, received: false };
    this.log.push(entry);
    const take = this.waiting.get(topic)?.shift();
    if (take) {
      entry.received = true;
      take(message);
      return;
    }
    const list = this.queued.get(topic) ?? [];
    list.push(message);
    this.queued.set(topic, list);
  }

  /** Calls `deliver` with the next message of `topic` (now, if one is kept); returns the cancel. */
  take(topic: string, deliver: (message: Json) => void): () => void {
    const list = this.queued.get(topic);
    if (list && list.length > 0) {
      const message = list.shift()!;
      const entry = this.log.find((e) => e.topic === topic && !e.received && e.message === message);
      if (entry) entry.received = true;
      deliver(message);
      return () => {};
    }
    const waiters = this.waiting.get(topic) ?? [];
    waiters.push(deliver);
    this.waiting.set(topic, waiters);
    return () => {
      const i = waiters.indexOf(deliver);
      if (i >= 0) waiters.splice(i, 1);
    };
  }
}
