/**
 * The attempts a worker is running, with what its slots, its lease renewals and
 * its per-instance state cache (see StateCache in complete.ts) need to know.
 */
import type { TaskRow } from "./queries.ts";

export interface InFlight {
  task: TaskRow;
  abort: AbortController;
  done: Promise<void>;
  /** When the lease ends by this process's clock: taken no earlier than the claim was sent, moved on by each renewal. */
  leaseUntil: number;
  /** The instance's workflow, for the events about this call (undefined: not known here). */
  workflow: string | undefined;
}

export const taskKey = (t: Pick<TaskRow, "instance_id" | "call_id">): string => `${t.instance_id}:${t.call_id}`;

export class InFlightSet {
  private readonly entries = new Map<string, InFlight>();
  /**
   * Keys of attempts that have finished running and wait for their outcome to
   * commit: their slots go to the successors the commit claims locally, and their
   * leases need no renewal.
   */
  private readonly settling = new Set<string>();
  private readonly perInstance = new Map<string, number>();

  /** Every attempt here, running or settling. */
  get size(): number {
    return this.entries.size;
  }

  /** Slots taken: attempts still running (a settling one has handed its slot on). */
  get busy(): number {
    return this.entries.size - this.settling.size;
  }

  add(entry: InFlight): void {
    this.entries.set(taskKey(entry.task), entry);
    const id = entry.task.instance_id;
    this.perInstance.set(id, (this.perInstance.get(id) ?? 0) + 1);
  }

  get(key: string): InFlight | undefined {
    return this.entries.get(key);
  }

  /** The attempt has finished running; its outcome is being committed. */
  settle(task: TaskRow): void {
    this.settling.add(taskKey(task));
  }

  /** Removes a finished attempt; true when it was the last of its instance here. */
  remove(task: TaskRow): boolean {
    const key = taskKey(task);
    this.entries.delete(key);
    this.settling.delete(key);
    const left = this.perInstance.get(task.instance_id)! - 1;
    if (left > 0) this.perInstance.set(task.instance_id, left);
    else this.perInstance.delete(task.instance_id);
    return left <= 0;
  }

  /** Whether an attempt of this instance is here. */
  holds(instanceId: string): boolean {
    return this.perInstance.has(instanceId);
  }

  /** Attempts still running (whose leases need renewing), with their keys. */
  running(): Array<[string, InFlight]> {
    return [...this.entries].filter(([key]) => !this.settling.has(key));
  }

  /** Whether `entry` is still here and still running. */
  stillRunning(key: string, entry: InFlight): boolean {
    return this.entries.get(key) === entry && !this.settling.has(key);
  }

  all(): InFlight[] {
    return [...this.entries.values()];
  }
}
