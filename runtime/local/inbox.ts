import type { Outcome } from "../interpreter/state.ts";

export interface Arrival {
  callId: string;
  outcome: Outcome;
}

/** Call outcomes arriving while the runner waits; `next()` wakes it on the next arrival. */
export class Inbox {
  private queue: Arrival[] = [];
  private wake: (() => void) | null = null;
  private waiting: Promise<void> | null = null;

  push(arrival: Arrival): void {
    this.queue.push(arrival);
    this.wake?.();
  }

  drain(): Arrival[] {
    const out = this.queue;
    this.queue = [];
    return out;
  }

  /** Resolves when something is (or already was) queued; safe to race and call again. */
  next(): Promise<void> {
    if (this.queue.length > 0) return Promise.resolve();
    this.waiting ??= new Promise<void>((resolve) => {
      this.wake = () => {
        this.wake = null;
        this.waiting = null;
        resolve();
      };
    });
    return this.waiting;
  }
}
