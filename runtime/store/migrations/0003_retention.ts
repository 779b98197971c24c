export default `-- Retention: finished instances are found by when they finished, oldest first, in
-- bounded batches (runtime/durable/prune.ts). Partial, so running instances (the
-- hot rows) carry no entry.
CREATE INDEX instances_finished ON :SCHEMA.instances (finished_at) WHERE finished_at IS NOT NULL;
`;
