-- Foundation: staff accounts, sessions, MFA, API tokens, data keys and the tamper-evident audit log.

CREATE EXTENSION IF NOT EXISTS pgcrypto;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- Staff work addresses, stored lower-cased for sign-in; never logged.
  email text NOT NULL UNIQUE CHECK (email = lower(email) AND length(email) <= 254),
  display_name text NOT NULL DEFAULT '' CHECK (length(display_name) <= 120),
  role text NOT NULL CHECK (role IN ('admin', 'responder', 'legal', 'comms', 'agent', 'auditor')),
  status text NOT NULL DEFAULT 'invited' CHECK (status IN ('invited', 'active', 'disabled')),
  password_hash text,
  -- TOTP secret, encrypted with the platform envelope (never plaintext at rest).
  totp_secret bytea,
  totp_pending_secret bytea,
  totp_enrolled_at timestamptz,
  -- Highest RFC 6238 time step accepted so far: a code is accepted once only.
  totp_last_step bigint,
  last_sign_in_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  code_hash bytea NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX recovery_codes_user_idx ON recovery_codes (user_id);

-- Failed sign-in and code attempts per key (a hash of the email, or of the user id for codes). Keyed by
-- email whether or not the account exists, so a lockout reveals nothing about which accounts exist.
CREATE TABLE sign_in_throttle (
  key_hash bytea PRIMARY KEY,
  failures integer NOT NULL DEFAULT 0,
  locked_until timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- One-time links that let a person set a password: 'bootstrap' creates the first admin on an empty
-- installation (no user yet, the email is entered on the page), 'setup' answers an invitation, 'reset'
-- follows an MFA reset.
CREATE TABLE setup_links (
  token_hash bytea PRIMARY KEY,
  user_id uuid REFERENCES users (id) ON DELETE CASCADE,
  purpose text NOT NULL CHECK (purpose IN ('bootstrap', 'setup', 'reset')),
  CHECK ((purpose = 'bootstrap') = (user_id IS NULL)),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX setup_links_user_idx ON setup_links (user_id);

CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  -- SHA-256 of the 256-bit cookie token; the token itself is never stored.
  token_hash bytea NOT NULL UNIQUE,
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  -- password: password checked, second factor pending; enroll: must enroll MFA; active: fully signed in.
  stage text NOT NULL CHECK (stage IN ('password', 'enroll', 'active')),
  csrf_token text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_seen_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  reauthenticated_at timestamptz,
  user_agent text CHECK (length(user_agent) <= 300)
);
CREATE INDEX sessions_user_idx ON sessions (user_id);
CREATE INDEX sessions_expires_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  token_hash bytea NOT NULL UNIQUE,
  -- First characters of the token, shown so people can tell tokens apart.
  prefix text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'responder', 'legal', 'comms', 'agent', 'auditor')),
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz,
  last_used_at timestamptz,
  revoked_at timestamptz
);

-- Data-encryption keys, each wrapped (AES-256-GCM) by a master key that never touches the database.
CREATE TABLE data_keys (
  id text PRIMARY KEY,
  purpose text NOT NULL CHECK (purpose IN ('encryption', 'blind_index')),
  wrapped_key bytea NOT NULL,
  master_key_id text NOT NULL,
  is_active boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  rewrapped_at timestamptz
);
-- At most one active key per purpose.
CREATE UNIQUE INDEX data_keys_one_active ON data_keys (purpose) WHERE is_active;

CREATE TABLE audit_log (
  seq bigint PRIMARY KEY,
  at timestamptz NOT NULL,
  actor_type text NOT NULL CHECK (actor_type IN ('user', 'api_token', 'cli', 'system', 'anonymous')),
  actor_id text,
  actor_label text NOT NULL DEFAULT '',
  action text NOT NULL,
  target_type text,
  target_id text,
  request_id text,
  outcome text NOT NULL CHECK (outcome IN ('success', 'failure', 'denied')),
  details jsonb NOT NULL DEFAULT '{}'::jsonb,
  prev_hash bytea NOT NULL,
  hash bytea NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, seq);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, seq);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id, seq);

-- Append-only: the application never updates or deletes audit entries. Someone with superuser rights
-- can bypass this; the hash chain (candor audit verify) is what detects that.
CREATE FUNCTION audit_log_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END $$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_is_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_is_append_only();
