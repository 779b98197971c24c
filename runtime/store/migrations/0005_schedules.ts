export default `-- Schedules: one row per schedule name, registered (upserted) by every worker
-- that serves its workflow, from the build's manifest. A scheduler round claims
-- the due rows (next_at passed, not paused) with FOR UPDATE SKIP LOCKED, starts
-- the tick's instance under the idempotency key schedule:<name>:<tick>, and
-- moves next_at on: one instance per tick however many workers run.
CREATE TABLE :SCHEMA.schedules (
  name           text PRIMARY KEY,
  workflow       text NOT NULL,
  -- The definition a tick starts: the version the last registering worker serves.
  hash           text NOT NULL REFERENCES :SCHEMA.definitions (hash),
  spec           json NOT NULL,
  timezone       text NOT NULL,
  input          json NOT NULL,
  catch_up       text NOT NULL CHECK (catch_up IN ('latest', 'all', 'none')),
  overlap        text NOT NULL CHECK (overlap IN ('skip', 'allow')),
  -- Set only by pause/resume: a worker registering the schedule again keeps it.
  paused         boolean NOT NULL DEFAULT false,
  next_at        timestamptz NOT NULL,
  last_tick      timestamptz,
  last_instance  uuid,
  created_at     timestamptz NOT NULL DEFAULT now(),
  updated_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX schedules_due ON :SCHEMA.schedules (next_at) WHERE NOT paused;
`;
