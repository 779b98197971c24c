export default `-- Values are stored as json, not jsonb: json keeps the text as written, so
-- object keys keep their insertion order, which JavaScript code can observe.
-- Every hot table leads its primary key with instance_id, so the rows of one
-- workflow instance can be co-located (and distributed by it, e.g. with Citus).

CREATE TABLE :SCHEMA.definitions (
  hash        text PRIMARY KEY,
  name        text NOT NULL,
  ir          json NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX definitions_name ON :SCHEMA.definitions (name, created_at);

CREATE TABLE :SCHEMA.instances (
  id               uuid PRIMARY KEY,
  workflow         text NOT NULL,
  hash             text NOT NULL REFERENCES :SCHEMA.definitions (hash),
  status           text NOT NULL CHECK (status IN ('running', 'sleeping', 'completed', 'failed', 'cancelled')),
  input            json NOT NULL,
  state            json NOT NULL,
  version          integer NOT NULL DEFAULT 0,
  result           json,
  error            json,
  idempotency_key  text UNIQUE,
  wake_at          timestamptz,
  created_at       timestamptz NOT NULL DEFAULT now(),
  updated_at       timestamptz NOT NULL DEFAULT now(),
  finished_at      timestamptz
);
CREATE INDEX instances_wake ON :SCHEMA.instances (wake_at) WHERE wake_at IS NOT NULL;
CREATE INDEX instances_created ON :SCHEMA.instances (created_at DESC);

CREATE TABLE :SCHEMA.tasks (
  instance_id  uuid NOT NULL REFERENCES :SCHEMA.instances (id) ON DELETE CASCADE,
  call_id      text NOT NULL,
  action       text NOT NULL,
  args         json NOT NULL,
  options      json NOT NULL,
  status       text NOT NULL CHECK (status IN ('ready', 'running', 'done', 'failed', 'cancelled')),
  attempt      integer NOT NULL DEFAULT 0,
  run_at       timestamptz NOT NULL DEFAULT now(),
  lease_until  timestamptz,
  worker_id    text,
  last_error   json,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance_id, call_id)
);
CREATE INDEX tasks_ready ON :SCHEMA.tasks (run_at) INCLUDE (action) WHERE status = 'ready';
CREATE INDEX tasks_leases ON :SCHEMA.tasks (lease_until) WHERE status = 'running';

-- seq comes from one sequence rather than a per-instance counter, so appending an
-- event never needs the instance row lock; ordering within an instance is kept.
CREATE TABLE :SCHEMA.history (
  instance_id  uuid NOT NULL REFERENCES :SCHEMA.instances (id) ON DELETE CASCADE,
  seq          bigint GENERATED ALWAYS AS IDENTITY,
  at           timestamptz NOT NULL DEFAULT now(),
  kind         text NOT NULL,
  call_id      text,
  data         json,
  PRIMARY KEY (instance_id, seq)
);

-- Live workers and the actions they can run: lets "cairn status" explain why a task
-- waits (no live worker has its action) instead of leaving it silently queued.
CREATE TABLE :SCHEMA.workers (
  id            text PRIMARY KEY,
  actions       text[] NOT NULL,
  workflows     text[] NOT NULL,
  started_at    timestamptz NOT NULL DEFAULT now(),
  heartbeat_at  timestamptz NOT NULL DEFAULT now()
);
`;
