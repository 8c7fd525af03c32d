-- Campaigns: notices to affected people. Variants with their templates and approvals; one delivery row per
-- (campaign, person, channel) moved only by guarded updates; the embedded outbox; activation codes.

CREATE TABLE campaigns (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
  status text NOT NULL DEFAULT 'draft'
    CHECK (status IN ('draft', 'scheduled', 'running', 'paused', 'finished', 'cancelled')),
  -- Fallback order: a hard bounce moves the person to the next channel that can reach them.
  channels text[] NOT NULL CHECK (cardinality(channels) BETWEEN 1 AND 3 AND channels <@ ARRAY['email', 'sms', 'letter']),
  email_from text CHECK (length(email_from) <= 300),
  reply_to text CHECK (length(reply_to) <= 300),
  default_locale text NOT NULL DEFAULT 'en',
  -- Contact channels and settings shown in notices, throttles, error threshold (JSON, checked by the app).
  settings jsonb NOT NULL DEFAULT '{}',
  -- People exposed in any of these categories (bitmask) get an activation code.
  activation_categories integer NOT NULL DEFAULT 0,
  scheduled_at timestamptz,
  started_at timestamptz,
  finished_at timestamptz,
  paused_reason text,
  recipients integer,
  created_by_id uuid,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX campaigns_incident_idx ON campaigns (incident_id, created_at);
CREATE INDEX campaigns_active_idx ON campaigns (status) WHERE status IN ('scheduled', 'running');

-- A variant: who gets it (first matching rule wins, the default catches the rest) and its content per locale
-- and channel. `version` moves with every edit; an approval holds for the version it approved only.
CREATE TABLE campaign_variants (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  position integer NOT NULL,
  is_default boolean NOT NULL DEFAULT false,
  rule jsonb NOT NULL DEFAULT '{}',
  content jsonb NOT NULL,
  version integer NOT NULL DEFAULT 1,
  author_id uuid,
  author text NOT NULL,
  approved_version integer,
  approved_by_id uuid,
  approved_by text,
  approved_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (campaign_id, name),
  UNIQUE (campaign_id, position),
  -- Nothing goes out without approval by someone other than the author (DESIGN invariant 8).
  CHECK (approved_by_id IS NULL OR author_id IS NULL OR approved_by_id <> author_id)
);
CREATE UNIQUE INDEX campaign_variants_one_default ON campaign_variants (campaign_id) WHERE is_default;

CREATE TABLE deliveries (
  incident_id uuid NOT NULL,
  campaign_id uuid NOT NULL,
  pn integer NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  -- Position of the channel in the campaign's fallback chain.
  step smallint NOT NULL,
  state text NOT NULL DEFAULT 'pending'
    CHECK (state IN ('pending', 'claimed', 'sent', 'delivered', 'bounced', 'failed', 'suppressed', 'fell_back')),
  variant_id uuid,
  locale text,
  attempts smallint NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  claimed_by text,
  -- Deterministic per row (Message-ID, provider idempotency key): a resend after a crash is recognisable.
  message_id text NOT NULL,
  -- Printed on the notice: the public site confirms a notice carrying it is genuine.
  verification_code text NOT NULL,
  provider_id text,
  error text CHECK (length(error) <= 500),
  sent_at timestamptz,
  settled_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, campaign_id, pn, channel)
) PARTITION BY LIST (incident_id);
-- The claim reads due rows of one campaign and channel in order straight from this index (no sort, no scan
-- of the rows already sent); expired leases are claimed separately through the next one.
CREATE INDEX deliveries_due_idx ON deliveries (campaign_id, channel, next_attempt_at, pn) WHERE state = 'pending';
CREATE INDEX deliveries_lease_idx ON deliveries (campaign_id, lease_until) WHERE state = 'claimed';
CREATE INDEX deliveries_state_idx ON deliveries (campaign_id, state, channel);
CREATE INDEX deliveries_message_idx ON deliveries (message_id);
CREATE INDEX deliveries_provider_idx ON deliveries (provider_id) WHERE provider_id IS NOT NULL;
CREATE INDEX deliveries_verification_idx ON deliveries (verification_code);

-- Rendered messages of the embedded transports (no SMTP / SMS provider configured) and of letters, for the
-- console's mailbox and the print batch. Addresses and bodies are personal data: sealed.
CREATE TABLE outbox_messages (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  pn integer NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms', 'letter')),
  message_id text NOT NULL UNIQUE,
  sealed bytea NOT NULL,
  printed_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX outbox_messages_campaign_idx ON outbox_messages (campaign_id, channel, id);

-- Credit-monitoring activation codes: each eligible person gets exactly one, never shared.
CREATE TABLE activation_codes (
  id bigserial PRIMARY KEY,
  campaign_id uuid NOT NULL REFERENCES campaigns (id) ON DELETE CASCADE,
  code_sealed bytea NOT NULL,
  -- Keyed hash of the code: the same code imported twice is refused.
  code_idx bytea NOT NULL,
  assigned_pn integer,
  assigned_at timestamptz,
  UNIQUE (campaign_id, code_idx)
);
CREATE UNIQUE INDEX activation_codes_one_per_person ON activation_codes (campaign_id, assigned_pn)
  WHERE assigned_pn IS NOT NULL;
CREATE INDEX activation_codes_free_idx ON activation_codes (campaign_id, id) WHERE assigned_pn IS NULL;

-- Inbound provider events (SMS receipts, bounce webhooks) are stored once per provider event id.
CREATE TABLE provider_events (
  provider text NOT NULL,
  event_id text NOT NULL,
  received_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (provider, event_id)
);

CREATE OR REPLACE FUNCTION create_incident_partitions(incident uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  suffix text := replace(incident::text, '-', '');
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF source_records FOR VALUES IN (%L) PARTITION BY LIST (import_id)', 'source_records_' || suffix, incident);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF record_people FOR VALUES IN (%L)', 'record_people_' || suffix, incident);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF people FOR VALUES IN (%L)', 'people_' || suffix, incident);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF deliveries FOR VALUES IN (%L)', 'deliveries_' || suffix, incident);
END $$;

DO $$
DECLARE
  i uuid;
BEGIN
  FOR i IN SELECT id FROM incidents LOOP
    PERFORM create_incident_partitions(i);
  END LOOP;
END $$;
