/**
 * Waking sleepers: instances whose durable sleep is over are locked in a batch, each
 * advanced from its stored state, and written in one statement. A batch the database
 * refuses for anything but a lost connection is redone one instance at a time, and an
 * instance that cannot be woken fails alone.
 */
import { advance, stateFromJson } from "../interpreter/index.ts";
import type { Engine } from "./engine.ts";
import type { HistoryEvent } from "./queries.ts";
import { failedOutput, stepOutput, Writes, type StepOutput } from "./step.ts";
import { engineError, isTransient } from "./fault.ts";
import { startChildren } from "./children.ts";
import { now as clock } from "../telemetry/telemetry.ts";

/**
 * Wakes up to `limit` instances whose sleep is over; returns how many it handled.
 * A batch the database refuses for anything but a lost connection is redone one
 * instance at a time, and an instance that cannot be woken fails alone: one bad
 * sleeper never keeps the others asleep.
 */
export async function wakeSleepers(engine: Engine, limit: number): Promise<number> {
  try {
    return await wakeBatch(engine, limit);
  } catch (err) {
    if (isTransient(err)) throw err;
    let handled = 0;
    for (const id of await engine.q.dueSleeperIds(engine.db, limit)) {
      try {
        handled += await wakeBatch(engine, 1, id);
      } catch (one) {
        if (isTransient(one)) throw one;
        if (await engine.failInstance(id, engineError(one, "cairn could not wake this instance"))) handled++;
      }
    }
    return handled;
  }
}

async function wakeBatch(engine: Engine, limit: number, id?: string): Promise<number> {
  const writes = new Writes();
  const woken = await engine.db.transaction(async (tx) => {
    const rows = await engine.q.dueSleepers(tx, limit, id);
    if (rows.length === 0) return 0;
    for (const row of rows) {
      const lateMs = row.wake_at === null ? 0 : row.now - row.wake_at;
      const woke: HistoryEvent = { instanceId: row.id, kind: "woke", data: { lateMs } };
      let out: StepOutput;
      const startedAt = clock();
      try {
        const artifact = await engine.artifact(tx, row.hash);
        out = stepOutput(row.id, artifact, advance(artifact, stateFromJson(row.state), row.now), undefined, engine.maxPayloadBytes);
        await startChildren(engine, tx, { id: row.id, artifact, trace: row.trace }, out, writes, row.now);
      } catch (err) {
        if (isTransient(err)) throw err;
        // A broken definition or state fails this instance, in this same batch.
        const failed = failedOutput(row.id, engineError(err, "cairn could not wake this instance"));
        writes.saveRaw(row.id, row.version, failed, row.state);
        writes.add(row.id, failed, [woke]);
        writes.segment(row.id, row.workflow, row.trace, startedAt, failed);
        continue;
      }
      writes.save(row.id, row.version, out);
      writes.add(row.id, out, [woke]);
      writes.segment(row.id, row.workflow, row.trace, startedAt, out);
    }
    await writes.flush(tx, engine.q);
    return rows.length;
  });
  engine.committed(writes.committed());
  return woken;
}
