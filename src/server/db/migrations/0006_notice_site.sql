-- The public notice site: each incident's public address (slug), the notice's versions (draft → approved →
-- published), dated updates, the rendered pages served to the public, email subscriptions to updates, the
-- queue of messages the site sends (lookup answers, confirmations, update notices), counters staff see
-- instead of lookups, feedback from personal pages, and the first inbox tables (the contact form).

-- Public address of the incident's notice: /n/<slug>. Set from the title at creation, editable until the
-- first publication (links in notices already sent carry it).
ALTER TABLE incidents ADD COLUMN public_slug text;
UPDATE incidents SET public_slug = 'incident-' || substr(replace(id::text, '-', ''), 1, 10);
ALTER TABLE incidents ALTER COLUMN public_slug SET NOT NULL;
ALTER TABLE incidents ADD CONSTRAINT incidents_public_slug_format
  CHECK (public_slug ~ '^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$');
CREATE UNIQUE INDEX incidents_public_slug_idx ON incidents (public_slug);

-- One row per version of the notice. The content (texts per locale, FAQ, contact channels) is frozen once
-- approved: an edit makes a new draft. Legal approves (someone other than the author), comms publishes.
CREATE TABLE notice_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  number integer NOT NULL,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'published', 'superseded')),
  content jsonb NOT NULL,
  author_id uuid,
  author text NOT NULL,
  approved_by_id uuid,
  approved_by text,
  approved_at timestamptz,
  published_by text,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (incident_id, number),
  CHECK (approved_by_id IS NULL OR author_id IS NULL OR approved_by_id <> author_id),
  CHECK (status = 'draft' OR approved_at IS NOT NULL),
  CHECK (status NOT IN ('published', 'superseded') OR published_at IS NOT NULL)
);
CREATE UNIQUE INDEX notice_versions_one_draft ON notice_versions (incident_id) WHERE status IN ('draft', 'approved');
CREATE UNIQUE INDEX notice_versions_one_published ON notice_versions (incident_id) WHERE status = 'published';

-- Dated updates under the notice, with the same approval; published ones are listed newest first and
-- notify subscribers.
CREATE TABLE notice_updates (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  status text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'approved', 'published')),
  content jsonb NOT NULL,
  author_id uuid,
  author text NOT NULL,
  approved_by_id uuid,
  approved_by text,
  approved_at timestamptz,
  published_by text,
  published_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (approved_by_id IS NULL OR author_id IS NULL OR approved_by_id <> author_id),
  CHECK (status = 'draft' OR approved_at IS NOT NULL),
  CHECK (status <> 'published' OR published_at IS NOT NULL)
);
CREATE INDEX notice_updates_incident_idx ON notice_updates (incident_id, published_at DESC);

-- What the public is served: pages rendered once at publication (per locale), the Atom feed, and the
-- cut-off before which personal links of this incident no longer open (revoke all).
CREATE TABLE notice_sites (
  incident_id uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  pages jsonb NOT NULL DEFAULT '{}',
  feed text,
  render_version integer NOT NULL DEFAULT 0,
  rendered_at timestamptz,
  links_valid_after timestamptz
);

-- Personal links of one person issued before this time no longer open (re-requested or revoked).
CREATE TABLE notice_link_revocations (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  pn integer NOT NULL,
  revoked_before timestamptz NOT NULL,
  PRIMARY KEY (incident_id, pn)
);

-- Email subscriptions to updates: double opt-in, one-click unsubscribe. The address is sealed; its blind
-- index keeps one subscription per address and incident.
CREATE TABLE notice_subscriptions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  email_sealed bytea NOT NULL,
  email_idx bytea NOT NULL,
  locale text NOT NULL DEFAULT 'en',
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'confirmed', 'unsubscribed')),
  created_at timestamptz NOT NULL DEFAULT now(),
  confirmed_at timestamptz,
  unsubscribed_at timestamptz,
  UNIQUE (incident_id, email_idx)
);
CREATE INDEX notice_subscriptions_confirmed_idx ON notice_subscriptions (incident_id) WHERE status = 'confirmed';

-- The site's outgoing messages. Requests only enqueue (so a lookup answers in the same time whatever the
-- input); a sender claims rows with SKIP LOCKED, renders and sends them. Personal data in `payload` is
-- sealed; update notices refer to the subscription and the update and are rendered at sending.
CREATE TABLE notice_messages (
  id bigserial PRIMARY KEY,
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  kind text NOT NULL CHECK (kind IN ('lookup', 'subscribe_confirm', 'update', 'contact_ack')),
  payload bytea,
  subscription_id uuid REFERENCES notice_subscriptions (id) ON DELETE CASCADE,
  update_id uuid REFERENCES notice_updates (id) ON DELETE CASCADE,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sent', 'skipped', 'failed')),
  attempts smallint NOT NULL DEFAULT 0,
  next_attempt_at timestamptz NOT NULL DEFAULT now(),
  lease_until timestamptz,
  outcome text CHECK (length(outcome) <= 200),
  created_at timestamptz NOT NULL DEFAULT now(),
  settled_at timestamptz,
  UNIQUE (update_id, subscription_id)
);
CREATE INDEX notice_messages_due_idx ON notice_messages (next_attempt_at) WHERE state = 'pending';

-- At most one lookup answer per identifier per hour (keyed by the identifier's blind index).
CREATE TABLE notice_lookup_answers (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  identifier_idx bytea NOT NULL,
  last_sent_at timestamptz NOT NULL,
  -- The message that took the hour's answer: its retry after a crash is still allowed to send.
  last_message_id bigint NOT NULL,
  PRIMARY KEY (incident_id, identifier_idx)
);

-- What staff see of the public's use of the site: counts per day, never who.
CREATE TABLE notice_counters (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  day date NOT NULL,
  metric text NOT NULL,
  n integer NOT NULL DEFAULT 0,
  PRIMARY KEY (incident_id, day, metric)
);

-- "How do you feel about how we handled this?": one answer per person, the latest kept.
CREATE TABLE notice_feedback (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  pn integer NOT NULL,
  rating smallint NOT NULL CHECK (rating BETWEEN 1 AND 5),
  comment_sealed bytea,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, pn)
);

-- The support inbox (the contact form now; email and SMS with the inbox). A thread per sender and channel;
-- the sender's address is sealed and blind-indexed; linked to the affected person when it matches one.
CREATE TABLE inbox_threads (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid REFERENCES incidents (id) ON DELETE CASCADE,
  channel text NOT NULL CHECK (channel IN ('web', 'email', 'sms')),
  sender_idx bytea NOT NULL,
  sender_sealed bytea NOT NULL,
  pn integer,
  locale text NOT NULL DEFAULT 'en',
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'pending', 'solved')),
  created_at timestamptz NOT NULL DEFAULT now(),
  last_message_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_threads_sender_idx ON inbox_threads (sender_idx, channel, incident_id);
CREATE INDEX inbox_threads_status_idx ON inbox_threads (status, last_message_at DESC);

CREATE TABLE inbox_messages (
  id bigserial PRIMARY KEY,
  thread_id uuid NOT NULL REFERENCES inbox_threads (id) ON DELETE CASCADE,
  direction text NOT NULL CHECK (direction IN ('in', 'out')),
  -- Sealed JSON: name, subject, body as the sender gave them.
  sealed bytea NOT NULL,
  provider_message_id text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX inbox_messages_thread_idx ON inbox_messages (thread_id, id);

-- Messages the site sent through the embedded outbox belong to no campaign.
ALTER TABLE outbox_messages ALTER COLUMN campaign_id DROP NOT NULL;
ALTER TABLE outbox_messages ALTER COLUMN pn DROP NOT NULL;
ALTER TABLE outbox_messages ADD COLUMN kind text NOT NULL DEFAULT 'campaign'
  CHECK (kind IN ('campaign', 'lookup', 'subscribe_confirm', 'update', 'contact_ack'));
CREATE INDEX outbox_messages_site_idx ON outbox_messages (incident_id, id) WHERE campaign_id IS NULL;

-- Publications of the notice and its updates go on the incident's timeline.
ALTER TABLE incident_events DROP CONSTRAINT incident_events_kind_check;
ALTER TABLE incident_events ADD CONSTRAINT incident_events_kind_check
  CHECK (kind IN ('created', 'note', 'status', 'key_time', 'details', 'import', 'task', 'obligation', 'alert',
                  'campaign', 'notice'));
