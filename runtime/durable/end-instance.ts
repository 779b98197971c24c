/**
 * Ending an instance from outside its program (a cancel, or a step the engine
 * cannot run): in one transaction the row takes its final status and error, its
 * queued tasks are dropped, its parent's call is answered, its unfinished
 * children (and theirs) are cancelled, and workers running its attempts are told
 * to abort them.
 */
import type { Json } from "../../ir-schema/index.ts";
import { makeError, type ErrorValue } from "../interpreter/errors.ts";
import type { Engine } from "./engine.ts";
import type { HistoryEvent } from "./queries.ts";

/** Ends a running instance with `status`; null when there is no such instance, false when it had already ended. */
export async function endInstance(
  engine: Engine, id: string, status: "failed" | "cancelled", error: ErrorValue, event: Omit<HistoryEvent, "instanceId">,
): Promise<boolean | null> {
  const { q } = engine;
  const ended = await engine.db.transaction(async (tx) => {
    const row = await q.instance(tx, id, true);
    if (!row) return null;
    if (row.status === "completed" || row.status === "failed" || row.status === "cancelled") return false;
    await q.saveInstance(tx, { id, version: row.version, status, state: row.state, error: error as unknown as Json, wakeAt: null });
    await q.cancelTasks(tx, id);
    await q.appendHistory(tx, [{ instanceId: id, ...event }]);
    await q.answerParent(tx, id);
    // Its unfinished children (and theirs) end with it: nothing is left to take their results.
    const reason = `its parent ${id} ended (${status})`;
    const children = await q.cancelDescendants(tx, id, makeError("CancelledError", reason) as unknown as Json);
    for (const one of [id, ...children]) {
      await q.notify(tx, "cancel", one);
      await q.notify(tx, "done", one);
    }
    return [id, ...children];
  });
  if (ended === null || ended === false) return ended;
  engine.hub.finished(id, { status, error });
  for (const child of ended.slice(1)) {
    engine.hub.finished(child, { status: "cancelled", error: makeError("CancelledError", `its parent ${id} ended (${status})`) });
  }
  return true;
}
