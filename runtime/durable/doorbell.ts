/**
 * How the claim loop waits: until a timeout, or until something rings (a
 * notification of new work, a finished action while a backlog is left, stop()).
 * A ring while the loop is busy is kept, so the next wait returns at once and no
 * ring is lost between a claim and the wait that follows it.
 */
export class Doorbell {
  private rung = false;
  private wake: (() => void) | null = null;

  ring(): void {
    this.rung = true;
    this.wake?.();
  }

  /** Waits up to `ms`, or not at all when rung since the last wait (or `skip`). */
  async wait(ms: number, skip = false): Promise<void> {
    if (this.rung || skip) {
      this.rung = false;
      return;
    }
    // A plain timer and callback: this runs after nearly every batch, and abort
    // signals cost a DOMException each.
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      // Woken on the next turn of the event loop: every action finishing in this one
      // has then freed its slot, and one claim takes work for all of them.
      this.wake = () => {
        clearTimeout(timer);
        setImmediate(resolve);
      };
    });
    this.wake = null;
    this.rung = false;
  }
}
