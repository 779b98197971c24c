export default `-- Messages, published values and child workflows.
--
-- A call that waits on the world rather than on an action (a receive, a child
-- workflow) is a task row in status 'waiting': no worker claims it, no worker
-- holds it in memory. When its answer exists (a message is matched to it, its
-- child finishes, its timeout passes) the row becomes 'ready' carrying the answer
-- in args, and a worker applies it through the same path as an action's outcome.
ALTER TABLE :SCHEMA.tasks DROP CONSTRAINT tasks_status_check;
ALTER TABLE :SCHEMA.tasks ADD CONSTRAINT tasks_status_check
  CHECK (status IN ('ready', 'running', 'waiting', 'done', 'failed', 'cancelled'));
-- Receive deadlines, found by time (a wait without one has run_at = 'infinity').
CREATE INDEX tasks_waiting ON :SCHEMA.tasks (run_at) WHERE status = 'waiting';

-- A child instance names its parent and the parent's call it answers.
ALTER TABLE :SCHEMA.instances ADD COLUMN parent_id uuid, ADD COLUMN parent_call text;
CREATE INDEX instances_parent ON :SCHEMA.instances (parent_id) WHERE parent_id IS NOT NULL;

-- Messages sent to an instance, kept until a receive of their topic takes them
-- (received_by: that call), in send order (seq) per instance and topic. The key
-- makes a repeated send (a client retry, an in-workflow send redone after a
-- crash) a no-op.
CREATE TABLE :SCHEMA.messages (
  instance_id      uuid NOT NULL,
  seq              bigint GENERATED ALWAYS AS IDENTITY,
  topic            text NOT NULL,
  message          json NOT NULL,
  idempotency_key  text,
  sent_at          timestamptz NOT NULL DEFAULT now(),
  received_by      text,
  received_at      timestamptz,
  PRIMARY KEY (instance_id, seq)
);
CREATE UNIQUE INDEX messages_key ON :SCHEMA.messages (instance_id, idempotency_key) WHERE idempotency_key IS NOT NULL;
CREATE INDEX messages_pending ON :SCHEMA.messages (instance_id, topic, seq) WHERE received_by IS NULL;

-- The latest value of each published key of an instance.
CREATE TABLE :SCHEMA.published (
  instance_id  uuid NOT NULL,
  key          text NOT NULL,
  value        json NOT NULL,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (instance_id, key)
);

-- Matches the waiting receives of (inst, top) with its unreceived messages, oldest
-- with oldest. Sender and receiver both call it after writing their side, and it
-- first takes a lock on (inst, top) held to the end of the transaction: its later
-- statements read a fresh snapshot, so whichever of the two comes second sees what
-- the first committed, and no message is left beside a waiting receive.
CREATE FUNCTION :SCHEMA.deliver(inst uuid, top text, chan text) RETURNS integer
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  r record;
  m record;
  n integer := 0;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtextextended(inst::text || '/' || top, 7));
  FOR r IN
    SELECT call_id FROM :SCHEMA.tasks
     WHERE instance_id = inst AND action = '%receive' AND status = 'waiting' AND args->>0 = top
     ORDER BY created_at, length(call_id), call_id
       FOR UPDATE
  LOOP
    SELECT seq, message INTO m FROM :SCHEMA.messages
     WHERE instance_id = inst AND topic = top AND received_by IS NULL
     ORDER BY seq LIMIT 1 FOR UPDATE;
    EXIT WHEN NOT FOUND;
    UPDATE :SCHEMA.messages SET received_by = r.call_id, received_at = clock_timestamp()
     WHERE instance_id = inst AND seq = m.seq;
    UPDATE :SCHEMA.tasks SET status = 'ready', run_at = clock_timestamp(), args = json_build_array(top, m.message, m.seq)
     WHERE instance_id = inst AND call_id = r.call_id;
    INSERT INTO :SCHEMA.history (instance_id, kind, call_id, data)
    VALUES (inst, 'received', r.call_id, json_build_object('topic', top, 'seq', m.seq));
    n := n + 1;
  END LOOP;
  IF n > 0 THEN PERFORM pg_notify(chan, '%receive'); END IF;
  RETURN n;
END
$$;

-- A send in one round trip: the instance's status, the message stored (once per
-- key), and deliver() run after it in the same transaction. A function's later
-- statements read fresh snapshots, which deliver()'s lock relies on.
CREATE FUNCTION :SCHEMA.send_message(inst uuid, top text, msg json, k text, chan text)
RETURNS TABLE (s_status text, s_inserted boolean, s_repeated boolean, s_delivered integer)
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  st text;
  n integer;
BEGIN
  SELECT i.status INTO st FROM :SCHEMA.instances i WHERE i.id = inst;
  IF st IS NULL THEN
    RETURN QUERY SELECT NULL::text, false, false, 0;
    RETURN;
  END IF;
  IF st NOT IN ('running', 'sleeping') THEN
    RETURN QUERY SELECT st, false,
      (k IS NOT NULL AND EXISTS (SELECT 1 FROM :SCHEMA.messages m WHERE m.instance_id = inst AND m.idempotency_key = k)), 0;
    RETURN;
  END IF;
  INSERT INTO :SCHEMA.messages (instance_id, topic, message, idempotency_key) VALUES (inst, top, msg, k)
  ON CONFLICT (instance_id, idempotency_key) WHERE idempotency_key IS NOT NULL DO NOTHING;
  GET DIAGNOSTICS n = ROW_COUNT;
  IF n = 0 THEN
    RETURN QUERY SELECT st, false, true, 0;
    RETURN;
  END IF;
  RETURN QUERY SELECT st, true, false, :SCHEMA.deliver(inst, top, chan);
END
$$;
`;
