/**
 * The fallback for `result()` waiters whose NOTIFY was lost (sent while the
 * client's listening connection was down): one read per second of every instance
 * waited on, in batches, waking the waiters of those that finished. Each waiter
 * polling its own row every second instead cost a full-row read per waiter per
 * second: 2,000 workflows awaited at once made ~900 reads a second, a fifth of the
 * database's work on that path.
 */
import type { Engine } from "./engine.ts";
import type { Db } from "../store/db.ts";

const EVERY_MS = 1000;
const BATCH = 1000;

export class DoneSweep {
  private timer: NodeJS.Timeout | null = null;
  private busy = false;

  /** `waiters`: the client's, by instance id (shared: the NOTIFY listener wakes the same functions). */
  constructor(private readonly engine: Engine, private readonly db: Db, private readonly waiters: ReadonlyMap<string, ReadonlySet<() => void>>) {}

  /** Someone waits: sweep every second until nobody does. */
  start(): void {
    this.timer ??= setInterval(() => void this.sweep(), EVERY_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async sweep(): Promise<void> {
    if (this.waiters.size === 0) return this.stop();
    if (this.busy) return; // a slow read is not stacked on by the next tick
    this.busy = true;
    try {
      const ids = [...this.waiters.keys()];
      for (let at = 0; at < ids.length; at += BATCH) {
        for (const row of await this.engine.q.outcomes(this.db, ids.slice(at, at + BATCH))) {
          if (row.status === "completed" || row.status === "failed" || row.status === "cancelled") {
            for (const wake of this.waiters.get(row.id) ?? []) wake();
          }
        }
      }
    } catch {
      // The database is away: the next sweep tries again (waiters have their own deadlines).
    } finally {
      this.busy = false;
    }
  }
}
