-- The support inbox: threads from the web form, email and SMS, linked to the affected person through the
-- blind index; verification before disclosure; topics, sentiment and priority; macros and bulk replies;
-- SLA timers, satisfaction and data-subject requests. Message bodies and addresses stay sealed; search goes
-- through keyed hashes of words (`search_terms`), never plaintext.

ALTER TABLE inbox_threads
  ADD COLUMN subject_sealed bytea,
  ADD COLUMN topics text[] NOT NULL DEFAULT '{}',
  ADD COLUMN sentiment real,
  ADD COLUMN priority smallint NOT NULL DEFAULT 0 CHECK (priority BETWEEN 0 AND 100),
  ADD COLUMN assignee_id uuid REFERENCES users (id) ON DELETE SET NULL,
  ADD COLUMN verified_at timestamptz,
  ADD COLUMN first_response_at timestamptz,
  ADD COLUMN sla_due_at timestamptz,
  ADD COLUMN solved_at timestamptz,
  ADD COLUMN satisfaction smallint CHECK (satisfaction BETWEEN 1 AND 5),
  ADD COLUMN dsr_kind text CHECK (dsr_kind IN ('access', 'deletion')),
  ADD COLUMN dsr_due_at timestamptz,
  ADD COLUMN dsr_completed_at timestamptz,
  ADD COLUMN search_terms text[] NOT NULL DEFAULT '{}',
  ADD COLUMN messages integer NOT NULL DEFAULT 0,
  ADD CONSTRAINT inbox_threads_solved CHECK ((status = 'solved') = (solved_at IS NOT NULL)),
  ADD CONSTRAINT inbox_threads_dsr CHECK ((dsr_kind IS NULL) = (dsr_due_at IS NULL));
-- Sealed threads without an incident (a sender who matches nobody) are allowed.
DROP INDEX inbox_threads_status_idx;
-- The list's order (priority, then most recent, then id as the tie-break of keyset paging): per status,
-- and overall, so a filter matching many threads walks the order and stops at a page instead of sorting.
CREATE INDEX inbox_threads_list_idx ON inbox_threads (status, priority DESC, last_message_at DESC, id DESC);
CREATE INDEX inbox_threads_order_idx ON inbox_threads (priority DESC, last_message_at DESC, id DESC);
CREATE INDEX inbox_threads_topics_idx ON inbox_threads USING gin (topics);
CREATE INDEX inbox_threads_search_idx ON inbox_threads USING gin (search_terms);
CREATE INDEX inbox_threads_sla_idx ON inbox_threads (sla_due_at) WHERE first_response_at IS NULL AND status <> 'solved';
CREATE INDEX inbox_threads_dsr_idx ON inbox_threads (dsr_due_at) WHERE dsr_kind IS NOT NULL AND dsr_completed_at IS NULL;

ALTER TABLE inbox_messages
  ADD COLUMN kind text NOT NULL DEFAULT 'message' CHECK (kind IN ('message', 'note')),
  ADD COLUMN author_id uuid,
  ADD COLUMN author text,
  -- A bulk reply reaches each thread once.
  ADD COLUMN bulk_id uuid,
  ADD CONSTRAINT inbox_messages_one_per_bulk UNIQUE (thread_id, bulk_id);

-- Attachments of inbound email: sealed, size-limited, served only to staff as a download.
CREATE TABLE inbox_attachments (
  id bigserial PRIMARY KEY,
  message_id bigint NOT NULL REFERENCES inbox_messages (id) ON DELETE CASCADE,
  filename_sealed bytea NOT NULL,
  content_type text NOT NULL CHECK (length(content_type) <= 200),
  size integer NOT NULL CHECK (size >= 0),
  data_sealed bytea NOT NULL
);
CREATE INDEX inbox_attachments_message_idx ON inbox_attachments (message_id);

-- Topic rules: a message containing any of the keywords gets the topic; weight feeds the priority.
CREATE TABLE inbox_rules (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  topic text NOT NULL CHECK (topic ~ '^[a-z0-9_]{1,40}$'),
  label text NOT NULL CHECK (length(label) BETWEEN 1 AND 80),
  keywords text[] NOT NULL CHECK (cardinality(keywords) BETWEEN 1 AND 100),
  weight smallint NOT NULL DEFAULT 10 CHECK (weight BETWEEN 0 AND 60),
  -- Data-subject request the topic stands for, if any: flagged with its legal deadline.
  dsr_kind text CHECK (dsr_kind IN ('access', 'deletion')),
  enabled boolean NOT NULL DEFAULT true,
  updated_by text NOT NULL DEFAULT 'candor',
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (topic)
);
INSERT INTO inbox_rules (topic, label, keywords, weight, dsr_kind) VALUES
  ('is_this_real', 'Is this real?', ARRAY['is this real', 'is this legit', 'legitimate', 'scam', 'phishing', 'fake', 'genuine', 'es real', 'estafa'], 15, NULL),
  ('credit_monitoring', 'Credit monitoring', ARRAY['credit monitoring', 'activation code', 'enroll', 'enrol', 'credit report', 'credit freeze', 'vigilancia de crédito', 'código de activación'], 10, NULL),
  ('password', 'Password', ARRAY['password', 'log in', 'login', 'sign in', 'locked out', 'reset', 'contraseña'], 10, NULL),
  ('delete_my_data', 'Delete my data', ARRAY['delete my data', 'delete my account', 'erase', 'erasure', 'right to be forgotten', 'remove my information', 'remove my data', 'borrar mis datos', 'supresión'], 20, 'deletion'),
  ('access_request', 'Access to my data', ARRAY['copy of my data', 'what data do you have', 'what information do you hold', 'subject access', 'access request', 'acceso a mis datos'], 20, 'access'),
  ('legal_threat', 'Legal threat', ARRAY['lawyer', 'attorney', 'sue', 'lawsuit', 'class action', 'legal action', 'court', 'abogado', 'demanda'], 35, NULL),
  ('press', 'Press', ARRAY['journalist', 'reporter', 'press inquiry', 'media inquiry', 'newspaper', 'for a story', 'periodista'], 30, NULL);

-- Saved answers: Liquid in the notices' sandbox, per locale.
CREATE TABLE inbox_macros (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  locale text NOT NULL DEFAULT 'en',
  subject text CHECK (length(subject) <= 300),
  body text NOT NULL CHECK (length(body) BETWEEN 1 AND 20000),
  updated_by text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (name, locale)
);

-- A one-time code sent to the contact point on file; the thread is verified when it comes back.
CREATE TABLE inbox_verifications (
  thread_id uuid PRIMARY KEY REFERENCES inbox_threads (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  channel text NOT NULL CHECK (channel IN ('email', 'sms')),
  sent_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  attempts smallint NOT NULL DEFAULT 0,
  verified_at timestamptz
);

-- Outbound inbox messages (replies, verification codes, the satisfaction question) go through the site's
-- message queue, and may belong to no incident (a sender who matches nobody).
ALTER TABLE notice_messages ALTER COLUMN incident_id DROP NOT NULL;
ALTER TABLE notice_messages DROP CONSTRAINT notice_messages_kind_check;
ALTER TABLE notice_messages ADD CONSTRAINT notice_messages_kind_check
  CHECK (kind IN ('lookup', 'subscribe_confirm', 'update', 'contact_ack', 'inbox_reply', 'inbox_verification', 'inbox_csat'));
ALTER TABLE notice_messages ADD COLUMN inbox_message_id bigint REFERENCES inbox_messages (id) ON DELETE CASCADE;
ALTER TABLE outbox_messages ALTER COLUMN incident_id DROP NOT NULL;
ALTER TABLE outbox_messages DROP CONSTRAINT outbox_messages_kind_check;
ALTER TABLE outbox_messages ADD CONSTRAINT outbox_messages_kind_check
  CHECK (kind IN ('campaign', 'lookup', 'subscribe_confirm', 'update', 'contact_ack', 'inbox_reply', 'inbox_verification', 'inbox_csat'));
