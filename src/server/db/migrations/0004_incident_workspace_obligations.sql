-- The incident workspace (lifecycle, key times, timeline, tasks, owners) and legal obligations (decision
-- records, deadline alerts), plus installation settings and the staff mail outbox.

ALTER TABLE incidents
  ADD COLUMN status text NOT NULL DEFAULT 'suspected'
    CHECK (status IN ('suspected', 'investigating', 'confirmed', 'contained', 'notifying', 'monitoring', 'closed')),
  ADD COLUMN cause text
    CHECK (cause IN ('phishing', 'misconfiguration', 'ransomware', 'malware', 'credential_stuffing', 'vendor',
                     'insider', 'lost_device', 'other')),
  ADD COLUMN severity text NOT NULL DEFAULT 'medium' CHECK (severity IN ('low', 'medium', 'high', 'critical')),
  ADD COLUMN systems_affected text[] NOT NULL DEFAULT '{}',
  -- Bitmask over src/shared/taxonomy.ts categories, entered by hand; the people data wins when present.
  ADD COLUMN categories_entered integer NOT NULL DEFAULT 0,
  ADD COLUMN encrypted_safe_key boolean NOT NULL DEFAULT false,
  ADD COLUMN law_enforcement_delay boolean NOT NULL DEFAULT false,
  ADD COLUMN law_enforcement_delay_until timestamptz,
  -- The breach may have run over a period: occurred_at is its start, occurred_until its end.
  ADD COLUMN occurred_until timestamptz,
  ADD COLUMN contained_at timestamptz,
  ADD COLUMN planned_notice_at timestamptz,
  ADD COLUMN first_notice_at timestamptz,
  ADD COLUMN closed_at timestamptz,
  -- Null: take the company profile in settings.
  ADD COLUMN entity_hipaa boolean,
  ADD COLUMN entity_sec boolean,
  ADD COLUMN entity_nydfs boolean,
  ADD COLUMN entity_ftc_safeguards boolean,
  ADD CONSTRAINT incidents_detected_after_occurred CHECK (detected_at >= occurred_at),
  ADD CONSTRAINT incidents_occurred_range CHECK (occurred_until >= occurred_at),
  ADD CONSTRAINT incidents_contained_after_detected CHECK (contained_at >= detected_at),
  ADD CONSTRAINT incidents_closed_state CHECK ((status = 'closed') = (closed_at IS NOT NULL));

-- Incidents recorded before the lifecycle existed were created with an awareness time: confirmed.
UPDATE incidents SET status = 'confirmed';

CREATE TABLE incident_owners (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  user_id uuid NOT NULL REFERENCES users (id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, user_id)
);

-- The timeline: append-only (a trigger refuses updates, and deletes except by the incident's own removal).
-- Summaries are written by the code or typed by staff; automatic entries carry ids and counts, never PII.
CREATE TABLE incident_events (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  at timestamptz NOT NULL DEFAULT now(),
  kind text NOT NULL CHECK (kind IN ('created', 'note', 'status', 'key_time', 'details', 'import', 'task',
                                      'obligation', 'alert', 'campaign')),
  actor_id uuid,
  actor_label text NOT NULL,
  summary text NOT NULL CHECK (length(summary) BETWEEN 1 AND 5000),
  details jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX incident_events_incident_idx ON incident_events (incident_id, at, id);

CREATE FUNCTION incident_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' AND NOT EXISTS (SELECT 1 FROM incidents WHERE id = OLD.incident_id) THEN
    RETURN OLD;
  END IF;
  RAISE EXCEPTION 'incident_events is append-only' USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER incident_events_append_only BEFORE UPDATE OR DELETE ON incident_events
  FOR EACH ROW EXECUTE FUNCTION incident_events_append_only();

CREATE TABLE incident_tasks (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 300),
  owner_id uuid REFERENCES users (id),
  due_at timestamptz,
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'in_progress', 'done', 'cancelled')),
  -- "US-CA:regulator": the obligation this task serves, if any.
  obligation_key text CHECK (length(obligation_key) <= 100),
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz
);
CREATE INDEX incident_tasks_incident_idx ON incident_tasks (incident_id, status, due_at);

-- Decision records on obligations, append-only: the latest row per obligation is its status (no row: open).
CREATE TABLE obligation_decisions (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  obligation_key text NOT NULL CHECK (length(obligation_key) <= 100),
  status text NOT NULL CHECK (status IN ('open', 'done', 'not_required')),
  reasons text NOT NULL DEFAULT '' CHECK (length(reasons) <= 10000),
  evidence text NOT NULL DEFAULT '' CHECK (length(evidence) <= 2000),
  -- The rules version the decision was taken under.
  rules_version text NOT NULL,
  decided_by_id uuid,
  decided_by text NOT NULL,
  decided_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX obligation_decisions_idx ON obligation_decisions (incident_id, obligation_key, id DESC);

-- One alert per obligation, level and due time: a moved deadline raises its alerts afresh.
CREATE TABLE obligation_alerts (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  obligation_key text NOT NULL,
  level text NOT NULL CHECK (level IN ('72h', '24h', 'overdue')),
  due_at timestamptz NOT NULL,
  raised_at timestamptz NOT NULL DEFAULT now(),
  -- Recipients the alert was emailed to; 0 until sent. A sender claims it first (email_claimed_at); a
  -- claim older than ten minutes is taken to be a crashed sender's and is taken again.
  emailed integer NOT NULL DEFAULT 0,
  email_claimed_at timestamptz,
  PRIMARY KEY (incident_id, obligation_key, level, due_at)
);
CREATE INDEX obligation_alerts_recent_idx ON obligation_alerts (raised_at DESC);

-- Installation settings by key (e.g. the company profile the obligations engine reads).
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Mail to staff when no SMTP server is configured (embedded mode): kept for the console to show.
CREATE TABLE staff_outbox (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  to_address text NOT NULL,
  subject text NOT NULL,
  body_text text NOT NULL,
  purpose text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
