export default `-- Traces (runtime/telemetry): an instance keeps the trace context of the code
-- that started it (a W3C traceparent/tracestate pair, null when nothing traced
-- it), so a worker in any process puts its spans in that trace. The claim returns
-- it with the instance, and how long each task waited ready (by this server's
-- clock, so the workers' clocks do not matter) for the queue-delay histogram.
ALTER TABLE :SCHEMA.instances ADD COLUMN trace json;

DROP FUNCTION :SCHEMA.claim_tasks(text, text[], integer, float8);
CREATE FUNCTION :SCHEMA.claim_tasks(worker text, actions text[], n integer, lease_ms float8)
RETURNS TABLE (
  instance_id uuid, call_id text, action text, args json, options json, status text, attempt integer,
  run_at float8, lease_until float8, worker_id text, last_error json,
  i_hash text, i_version integer, i_status text, i_state json, i_trace json, queued_ms float8
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
           c.worker_id, c.last_error, i.hash, i.version, i.status, i.state, i.trace,
           (extract(epoch from clock_timestamp() - c.run_at) * 1000)::float8
      FROM claimed c JOIN :SCHEMA.instances i ON i.id = c.instance_id;
END
$$;
`;
