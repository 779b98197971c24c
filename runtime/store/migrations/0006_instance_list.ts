export default `-- The web UI's instance list (cairn ui): newest first, paged by keyset on
-- (created_at, id), optionally filtered by workflow or status. Each query is one
-- index range scan however many instances there are. The (created_at DESC, id DESC)
-- index replaces instances_created (created_at DESC), which it serves as well.
DROP INDEX :SCHEMA.instances_created;
CREATE INDEX instances_created ON :SCHEMA.instances (created_at DESC, id DESC);
CREATE INDEX instances_workflow_created ON :SCHEMA.instances (workflow, created_at DESC, id DESC);
CREATE INDEX instances_status_created ON :SCHEMA.instances (status, created_at DESC, id DESC);
`;
