/**
 * `client.results(ids)`: waits for many instances at once. One read of every
 * instance up front, then, as NOTIFY (or a worker of this process) says some
 * finished, one read of just those; a poll every second re-reads what is left,
 * for notifications lost while the listening connection was down. Each `result()`
 * alone would cost a read before and after its notification.
 */
import type { Json } from "../../ir-schema/index.ts";
import { decodeWire } from "../payload.ts";
import type { ErrorValue } from "../interpreter/errors.ts";
import { UnknownWorkflowError, type Engine } from "./engine.ts";
import type { Finished } from "./local-hub.ts";
import { isInstanceId } from "./instance-queries.ts";
import type { Db } from "../store/db.ts";
import { WorkflowFailedError } from "./workflow-failed.ts";

/** How one instance ended: its result, or the error `result()` would throw. */
export type InstanceOutcome<R = Json> =
  | { id: string; status: "completed"; result: R }
  | { id: string; status: "failed" | "cancelled"; error: WorkflowFailedError };

export interface ResultsHost {
  readonly engine: Engine;
  readonly db: Db;
  /** LISTENs (once per client) and calls `fn` on each notification that `id` finished; returns the unsubscribe. */
  onDone(id: string, fn: () => void): Promise<() => void>;
}

export async function waitResults(host: ResultsHost, ids: readonly string[], options: { timeoutMs?: number } = {}): Promise<InstanceOutcome[]> {
  if (!Array.isArray(ids) || !ids.every((id) => typeof id === "string")) throw new TypeError("client.results(ids): ids must be an array of instance id strings");
  const bad = ids.find((id) => !isInstanceId(id));
  if (bad !== undefined) throw new UnknownWorkflowError(`no workflow instance ${bad}`);
  const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
  const hub = host.engine.hub;
  const done = new Map<string, InstanceOutcome>();
  const pending = new Set(ids);
  /** Told finished since the last read (by NOTIFY or a worker here released it): read these next. */
  const told = new Set<string>();
  let wake: (() => void) | null = null;
  const cleanups: Array<() => void> = [];
  const tell = (id: string) => {
    told.add(id);
    wake?.();
  };
  try {
    for (const id of pending) {
      const early = hub.take(id);
      if (early) finish(id, fromFinished(id, early));
      cleanups.push(hub.onFinished(id, (f) => (f ? finish(id, fromFinished(id, f)) : tell(id))));
      cleanups.push(await host.onDone(id, () => tell(id)));
    }
    let toRead: string[] = [...pending];
    let first = true;
    for (;;) {
      if (toRead.length > 0) {
        const rows = await host.engine.q.outcomes(host.db, toRead);
        if (first) {
          const found = new Set(rows.map((r) => r.id));
          const missing = toRead.find((id) => !found.has(id));
          if (missing !== undefined) throw new UnknownWorkflowError(`no workflow instance ${missing}`);
        }
        for (const r of rows) {
          if (r.status === "completed") finish(r.id, { id: r.id, status: "completed", result: decodeWire(r.result) as Json });
          else if (r.status === "failed" || r.status === "cancelled") finish(r.id, { id: r.id, status: r.status, error: new WorkflowFailedError(r.error as unknown as ErrorValue, r.id) });
        }
      }
      first = false;
      if (pending.size === 0) return ids.map((id) => done.get(id)!);
      if (Date.now() >= deadline) throw new Error(`timed out waiting for ${pending.size} of ${new Set(ids).size} workflow instance(s)`);
      if (told.size === 0) {
        const polled = await new Promise<boolean>((resolve) => {
          const t = setTimeout(() => resolve(true), Math.min(1000, deadline - Date.now()));
          wake = () => {
            clearTimeout(t);
            resolve(false);
          };
        });
        wake = null;
        // A poll re-reads everything left (a notification may have been lost).
        if (polled) for (const id of pending) told.add(id);
      }
      toRead = [...told].filter((id) => pending.has(id));
      told.clear();
    }
  } finally {
    for (const off of cleanups) off();
  }

  function finish(id: string, outcome: InstanceOutcome): void {
    if (!pending.delete(id)) return;
    done.set(id, outcome);
    wake?.();
  }
}

function fromFinished(id: string, f: Finished): InstanceOutcome {
  if (f.status === "completed") return { id, status: "completed", result: decodeWire(f.result) as Json };
  return { id, status: f.status, error: new WorkflowFailedError(f.error, id) };
}
