-- One home for every outgoing message (issue 15): the outbound module owns the queue, the senders' records
-- (outbox, provider events), the shared throttles and the automatic pauses. Campaign notices keep their
-- per-recipient rows in `deliveries`; every other kind of message (lookup answers, subscription mail, inbox
-- replies and verification codes, the satisfaction question) is a row of `outbound_messages`, the notice
-- site's queue renamed, with its data kept.

ALTER TABLE notice_messages RENAME TO outbound_messages;
ALTER SEQUENCE notice_messages_id_seq RENAME TO outbound_messages_id_seq;
DO $$
DECLARE
  r record;
BEGIN
  -- Constraints first (a primary key or unique constraint renames its index with it), then other indexes.
  FOR r IN SELECT conname FROM pg_constraint
           WHERE conrelid = 'outbound_messages'::regclass AND conname LIKE 'notice\_messages\_%' LOOP
    EXECUTE format('ALTER TABLE outbound_messages RENAME CONSTRAINT %I TO %I',
                   r.conname, 'outbound_messages_' || substr(r.conname, 17));
  END LOOP;
  FOR r IN SELECT indexname FROM pg_indexes
           WHERE tablename = 'outbound_messages' AND indexname LIKE 'notice\_messages\_%' LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', r.indexname, 'outbound_messages_' || substr(r.indexname, 17));
  END LOOP;
END $$;

-- Each kind has its priority (lower goes first): a verification code never waits behind update notices.
ALTER TABLE outbound_messages ADD COLUMN priority smallint NOT NULL DEFAULT 5;
UPDATE outbound_messages SET priority = CASE kind
  WHEN 'inbox_verification' THEN 0
  WHEN 'lookup' THEN 1
  WHEN 'subscribe_confirm' THEN 1
  WHEN 'inbox_reply' THEN 2
  WHEN 'contact_ack' THEN 3
  WHEN 'inbox_csat' THEN 4
  ELSE 5 END
WHERE state = 'pending';
-- The worker holding a row's lease: settling is guarded on it, so a worker whose lease ran out (another
-- took the row over) cannot settle it a second time.
ALTER TABLE outbound_messages ADD COLUMN claimed_by text;
DROP INDEX outbound_messages_due_idx;
CREATE INDEX outbound_messages_due_idx ON outbound_messages (priority, next_attempt_at) WHERE state = 'pending';

-- Throttles shared by every process: a token bucket per key (a channel and provider, a campaign and channel,
-- a kind of message). A process reserves a few tokens at a time with one UPDATE … RETURNING, so the rate
-- holds however many workers send.
CREATE TABLE outbound_throttles (
  key text PRIMARY KEY CHECK (length(key) <= 200),
  -- Tokens added per second, and the most the bucket holds (one second's worth).
  rate double precision NOT NULL CHECK (rate > 0),
  tokens double precision NOT NULL,
  refreshed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  -- What the last reservation got (RETURNING reads the row after the update).
  granted integer NOT NULL DEFAULT 0
);

-- A kind of message paused automatically after too many failures in a row of attempts; the pause ends by
-- itself (a circuit breaker: the provider gets a rest, the queue keeps every message).
CREATE TABLE outbound_pauses (
  kind text PRIMARY KEY,
  paused_until timestamptz NOT NULL,
  reason text NOT NULL CHECK (length(reason) <= 500),
  paused_at timestamptz NOT NULL DEFAULT now()
);

COMMENT ON TABLE deliveries IS 'owner: outbound';
COMMENT ON TABLE outbox_messages IS 'owner: outbound';
COMMENT ON TABLE provider_events IS 'owner: outbound';
COMMENT ON TABLE staff_outbox IS 'owner: outbound';
COMMENT ON TABLE outbound_messages IS 'owner: outbound';
COMMENT ON TABLE outbound_throttles IS 'owner: outbound';
COMMENT ON TABLE outbound_pauses IS 'owner: outbound';
