/**
 * Retention: instances that finished (completed, failed, cancelled) longer ago than
 * a given age are deleted with their tasks and history, oldest first, in bounded
 * batches: each batch is one short statement that skips rows another session holds,
 * so pruning never blocks a worker, and a table of millions is emptied a batch at a
 * time rather than in one long transaction.
 */
import type { Queryable } from "../store/db.ts";
import { quoteIdent } from "../store/migrate.ts";

/** Instances deleted per statement. */
export const PRUNE_BATCH = 500;

/** Deletes one batch of instances finished more than `olderThanMs` ago; returns how many. */
export async function pruneBatch(q: Queryable, schema: string, olderThanMs: number, limit = PRUNE_BATCH): Promise<number> {
  const s = quoteIdent(schema);
  const rows = await q.query<{ n: number }>(
    `WITH old AS (
       SELECT id FROM ${s}.instances
        WHERE finished_at IS NOT NULL AND finished_at < clock_timestamp() - $1::float8 * interval '1 millisecond'
        ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED),
     gone AS (DELETE FROM ${s}.instances i USING old WHERE i.id = old.id RETURNING i.id),
     tasks AS (DELETE FROM ${s}.tasks t USING gone WHERE t.instance_id = gone.id),
     history AS (DELETE FROM ${s}.history h USING gone WHERE h.instance_id = gone.id),
     messages AS (DELETE FROM ${s}.messages m USING gone WHERE m.instance_id = gone.id),
     published AS (DELETE FROM ${s}.published p USING gone WHERE p.instance_id = gone.id)
     SELECT count(*)::int AS n FROM gone`,
    [olderThanMs, limit],
  );
  return rows[0]?.n ?? 0;
}

/** Deletes every instance finished more than `olderThanMs` ago, batch by batch; returns how many. */
export async function prune(q: Queryable, schema: string, olderThanMs: number, onBatch?: (deleted: number) => void): Promise<number> {
  let total = 0;
  for (;;) {
    const n = await pruneBatch(q, schema, olderThanMs);
    total += n;
    if (n > 0) onBatch?.(total);
    if (n < PRUNE_BATCH) return total;
  }
}

/** How often a worker prunes, and the most batches one round deletes (the rest waits for the next). */
const PRUNE_EVERY_MS = 60_000;
const PRUNE_BATCHES_PER_ROUND = 20;

/** A worker's share of retention: a few bounded batches at most once a minute. */
export class Pruner {
  /** When this worker last pruned (this process's clock). */
  private prunedAt = 0;

  constructor(private readonly q: Queryable, private readonly schema: string, private readonly retentionMs: number) {}

  /** Deletes instances past the retention if a round is due; `going()` turning false ends it early (shutdown). */
  async pruneIfDue(going: () => boolean): Promise<void> {
    if (this.retentionMs <= 0 || Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    for (let i = 0; i < PRUNE_BATCHES_PER_ROUND && going(); i++) {
      if ((await pruneBatch(this.q, this.schema, this.retentionMs)) < PRUNE_BATCH) return;
    }
  }
}
