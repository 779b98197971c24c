/**
 * Reading an instance's published values, and waiting for one without polling: a
 * step that publishes announces it (to this process's clients through the hub, to
 * others by NOTIFY on the `published` channel), and a waiter reads again only then.
 */
import { wakeableWait } from "./wakeable-wait.ts";
import type { Json } from "../../ir-schema/index.ts";
import { decodeWire } from "../payload.ts";
import type { Db } from "../store/db.ts";
import type { Engine } from "./engine.ts";
import { UnknownWorkflowError } from "./engine.ts";

/** Longest wait between reads when no notification comes (a NOTIFY lost while the listener was down). */
const FALLBACK_MS = 1000;

export class PublishedValues {
  private readonly waiters = new Map<string, Set<() => void>>();
  private subscribed: Promise<() => Promise<void>> | null = null;

  constructor(private readonly engine: Engine, private readonly db: Db) {}

  /** `{ key: value }` of every key the instance has published (its latest value). */
  async read(id: string): Promise<Record<string, Json>> {
    const rows = await this.engine.q.publishedOf(this.db, id);
    if (rows.length === 0 && !(await this.engine.q.instance(this.db, id))) throw new UnknownWorkflowError(`no workflow instance ${id}`);
    const out: Record<string, Json> = {};
    for (const r of rows) out[r.key] = decodeWire(r.value) as Json;
    return out;
  }

  /**
   * The value of `key` once the instance has published it (at once if it has).
   * Rejects when the instance ends without having published it, or after `timeoutMs`.
   */
  async wait(id: string, key: string, options: { timeoutMs?: number } = {}): Promise<Json> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    let changed = false;
    let wake: (() => void) | null = null;
    // Published by a worker of this process: the value itself, no read needed.
    let local: { value: Json } | null = null;
    const poke = () => {
      changed = true;
      wake?.();
    };
    const offHub = this.engine.hub.onPublished(id, (k, value) => {
      if (k === key) local = { value: decodeWire(value) as Json };
      poke();
    });
    const offDone = this.engine.hub.onFinished(id, poke);
    await this.subscribe();
    let set = this.waiters.get(id);
    if (!set) this.waiters.set(id, (set = new Set()));
    set.add(poke);
    try {
      for (;;) {
        changed = false;
        if (local) return (local as { value: Json }).value;
        // The status first: values published by the step that finished it are read after it.
        const row = await this.engine.q.instance(this.db, id);
        const values = await this.read(id);
        if (Object.hasOwn(values, key)) return values[key];
        if (row && row.status !== "running" && row.status !== "sleeping") {
          throw new Error(`workflow instance ${id} ended (${row.status}) without publishing '${key}'`);
        }
        if (Date.now() >= deadline) throw new Error(`timed out waiting for workflow instance ${id} to publish '${key}'`);
        if (changed || local) continue;
        await wakeableWait(Math.min(FALLBACK_MS, deadline - Date.now()), (w) => (wake = w));
      }
    } finally {
      offHub();
      offDone();
      set.delete(poke);
      if (set.size === 0) this.waiters.delete(id);
    }
  }

  /** One LISTEN on `published` (and `done`: an instance that ends will never publish) for the owner's lifetime. */
  private async subscribe(): Promise<void> {
    this.subscribed ??= (async () => {
      const fan = (payload: string) => {
        for (const id of payload.split(",")) for (const fn of this.waiters.get(id) ?? []) fn();
      };
      const offPublished = await this.db.listen(this.engine.q.channels.published, fan);
      const offDone = await this.db.listen(this.engine.q.channels.done, fan);
      return async () => {
        await offPublished();
        await offDone();
      };
    })();
    await this.subscribed;
  }

  async close(): Promise<void> {
    if (this.subscribed) await (await this.subscribed)();
  }
}
