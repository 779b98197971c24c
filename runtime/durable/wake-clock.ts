/**
 * When the claim loop must next look for sleepers whose time has come (and
 * receives whose timeout passed), as a time on this process's clock. The database
 * holds the deadlines by its own clock; only the duration until the earliest one
 * crosses over, so a skew between the clocks is harmless.
 */
import type { Engine } from "./engine.ts";

export class WakeClock {
  /** Earliest known wake-up (null: nobody waits), and whether it must be re-read. */
  private next: number | null = null;
  private changed = true;
  private readAt = 0;

  constructor(private readonly engine: Engine, private readonly pollMs: number) {}

  /** A notification said a deadline was set (or another worker may have taken one). */
  invalidate(): void {
    this.changed = true;
  }

  /** Re-reads the earliest deadline when it changed, and at least once per poll interval (a notification sent while listening was down is lost). */
  async refresh(): Promise<void> {
    if (!this.changed && Date.now() - this.readAt < this.pollMs) return;
    this.changed = false;
    this.readAt = Date.now();
    const sleeper = await this.engine.q.untilNextWake(this.engine.db);
    const timeout = await this.engine.q.untilNextTimeout(this.engine.db);
    const ms = sleeper === null ? timeout : timeout === null ? sleeper : Math.min(sleeper, timeout);
    this.next = ms === null ? null : Date.now() + ms;
  }

  /** Whether a deadline has passed (waking then is a transaction, so only when one is due). */
  due(): boolean {
    return this.next !== null && Date.now() >= this.next;
  }

  /** The earliest deadline (this process's clock), or Infinity. */
  get earliest(): number {
    return this.next ?? Infinity;
  }
}
