export default `-- Plans that stay right when the statistics are wrong. A burst of work (a deploy,
-- a backlog) outruns autovacuum's ANALYZE; the planner then believes a handful of
-- tasks are ready and the tables are tiny, so it fetches every ready task and
-- sorts them to claim a few (draining a backlog of n tasks costs O(n^2)), and joins
-- by scanning whole tables. The claim is therefore a function planned with sorts,
-- bitmap scans and hash/merge joins off: what is left reads tasks_ready in run_at
-- order, stops once the batch is full, and reaches every other row by its key.
-- PL/pgSQL keeps the plans for the session.
CREATE FUNCTION :SCHEMA.claim_tasks(worker text, actions text[], n integer, lease_ms float8)
RETURNS TABLE (
  instance_id uuid, call_id text, action text, args json, options json, status text, attempt integer,
  run_at float8, lease_until float8, worker_id text, last_error json,
  i_hash text, i_version integer, i_status text, i_state json
)
LANGUAGE plpgsql VOLATILE ROWS 10
SET enable_sort = off SET enable_bitmapscan = off SET enable_hashjoin = off SET enable_mergejoin = off
AS $$
BEGIN
  RETURN QUERY
    WITH claimed AS (
      UPDATE :SCHEMA.tasks t SET status = 'running', attempt = t.attempt + 1, worker_id = worker,
             lease_until = clock_timestamp() + lease_ms * interval '1 millisecond'
        FROM (SELECT r.instance_id, r.call_id FROM :SCHEMA.tasks r
               WHERE r.status = 'ready' AND r.run_at <= clock_timestamp() AND r.action = ANY(actions)
               ORDER BY r.run_at LIMIT n FOR UPDATE SKIP LOCKED) c
       WHERE t.instance_id = c.instance_id AND t.call_id = c.call_id
      RETURNING t.*),
    h AS (
      INSERT INTO :SCHEMA.history (instance_id, kind, call_id, data)
      SELECT c.instance_id, 'attempt', c.call_id,
             json_build_object('attempt', c.attempt, 'worker', worker, 'idempotencyKey', c.instance_id || ':' || c.call_id)
        FROM claimed c)
    SELECT c.instance_id, c.call_id, c.action, c.args, c.options, c.status, c.attempt,
           (extract(epoch from c.run_at) * 1000)::float8, (extract(epoch from c.lease_until) * 1000)::float8,
           c.worker_id, c.last_error, i.hash, i.version, i.status, i.state
      FROM claimed c JOIN :SCHEMA.instances i ON i.id = c.instance_id;
END
$$;

-- Leases are found by lease_until alone. Keyed on status = 'running', the index was
-- also the planner's pick for finishing a task by its key, which then read every
-- entry that running tasks ever left in it.
DROP INDEX :SCHEMA.tasks_leases;
CREATE INDEX tasks_leases ON :SCHEMA.tasks (lease_until) WHERE lease_until IS NOT NULL;

-- Room on each page for an instance's next versions: a step rewrites the row
-- without touching an indexed column, and a new version on the same page is a
-- heap-only update (no index entries, pruned in place).
ALTER TABLE :SCHEMA.instances SET (fillfactor = 70);

-- Tasks and history rows are only ever written by the statement that writes (or
-- has just locked or version-checked) their instance, and instances are never
-- deleted, so the foreign keys checked nothing the runtime does not already
-- guarantee; their per-row check (a key-share lock on the instance) tripled the
-- cost of every history row, the most written rows of all.
ALTER TABLE :SCHEMA.tasks DROP CONSTRAINT tasks_instance_id_fkey;
ALTER TABLE :SCHEMA.history DROP CONSTRAINT history_instance_id_fkey;
`;
