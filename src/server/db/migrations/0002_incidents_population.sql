-- Incidents (the minimal record; the incidents module extends it) and affected people: imports, source
-- records, identity resolution into people, conflicts. No plaintext personal data: identifiers live in
-- encrypted payloads, lookups go through keyed blind indexes.

CREATE TABLE incidents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  title text NOT NULL CHECK (length(title) BETWEEN 1 AND 200),
  description text NOT NULL DEFAULT '' CHECK (length(description) <= 10000),
  aware_at timestamptz NOT NULL,
  occurred_at timestamptz,
  detected_at timestamptz,
  is_demo boolean NOT NULL DEFAULT false,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  -- The file's name as given (not its content), for people to recognise it.
  file_name text NOT NULL CHECK (length(file_name) <= 300),
    file_sha256 bytea NOT NULL,
  -- SHA-256 of the settings (format, encoding, mapping, default country): the same file with other
  -- settings (say Latin-1 after UTF-8 rejections) is a new import; with the same ones, a duplicate.
  settings_sha256 bytea NOT NULL,
  file_bytes bigint NOT NULL,
  -- Where a server-side file or an encrypted upload lives until the import ends.
  source_path text,
  is_upload boolean NOT NULL DEFAULT false,
  format text NOT NULL CHECK (format IN ('csv', 'jsonl')),
  encoding text NOT NULL DEFAULT 'utf8' CHECK (encoding IN ('utf8', 'latin1')),
  default_country text,
  mapping jsonb NOT NULL,
  status text NOT NULL DEFAULT 'pending'
    CHECK (status IN ('pending', 'parsing', 'resolving', 'done', 'failed', 'duplicate')),
  -- Every line up to and including this one is committed (records and rejections): resume point.
  checkpoint_line bigint NOT NULL DEFAULT 0,
  rows_total bigint NOT NULL DEFAULT 0,
  accepted bigint NOT NULL DEFAULT 0,
  rejected bigint NOT NULL DEFAULT 0,
  bytes_done bigint NOT NULL DEFAULT 0,
  -- Records get rn = rn_base + line number, dense enough for array-based resolution, stable on resume.
  rn_base bigint NOT NULL,
  people_before bigint,
  people_after bigint,
  conflicts_found bigint,
  error text,
  created_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX imports_incident_idx ON imports (incident_id, created_at);
-- The same file twice into one incident, read the same way, adds nothing.
CREATE UNIQUE INDEX imports_same_file ON imports (incident_id, file_sha256, settings_sha256) WHERE status <> 'failed';

-- One row per accepted input record. Partitioned by incident (a partition per incident, created with it)
-- so one breach of 100M records does not slow the others and can be dropped whole, and each incident's
-- partition by import: an import loads into a bare table of its own (no indexes to maintain row by row,
-- 20x faster to fill) that is attached, building its indexes in one sorted pass, when parsing ends.
CREATE TABLE source_records (
  incident_id uuid NOT NULL,
  rn bigint NOT NULL,
  import_id uuid NOT NULL,
  line_no bigint NOT NULL,
  customer_idx bytea,
  national_idx bytea,
  email_idx bytea,
  phone_idx bytea,
  -- Bitmask over src/shared/taxonomy.ts categories.
  categories integer NOT NULL,
  country text,
  region text,
  locale text,
  has_email boolean NOT NULL,
  has_phone boolean NOT NULL,
  has_postal boolean NOT NULL,
  -- AES-256-GCM envelope of the record's identifiers and contact data (JSON).
  payload bytea NOT NULL,
  PRIMARY KEY (incident_id, import_id, rn)
) PARTITION BY LIST (incident_id);
CREATE INDEX source_records_email_idx ON source_records (incident_id, email_idx) WHERE email_idx IS NOT NULL;
CREATE INDEX source_records_phone_idx ON source_records (incident_id, phone_idx) WHERE phone_idx IS NOT NULL;
CREATE INDEX source_records_customer_idx ON source_records (incident_id, customer_idx) WHERE customer_idx IS NOT NULL;
CREATE INDEX source_records_national_idx ON source_records (incident_id, national_idx) WHERE national_idx IS NOT NULL;

-- Rows refused (severity 'rejected') and values set aside in accepted rows ('warning': a malformed email
-- when a phone still identifies the person). A reason and a field name; never the offending value.
-- Written in the same transaction as the batch checkpoint, so a resumed import never repeats one.
CREATE TABLE import_issues (
  import_id uuid NOT NULL REFERENCES imports (id) ON DELETE CASCADE,
  line_no bigint NOT NULL,
  severity text NOT NULL CHECK (severity IN ('rejected', 'warning')),
  reason text NOT NULL,
  field text
);
CREATE INDEX import_issues_import_idx ON import_issues (import_id, line_no);

-- Which person each record belongs to; rebuilt whole by each resolution (cheaper than updating records).
CREATE TABLE record_people (
  incident_id uuid NOT NULL,
  rn bigint NOT NULL,
  pn integer NOT NULL,
  PRIMARY KEY (incident_id, rn)
) PARTITION BY LIST (incident_id);
CREATE INDEX record_people_pn_idx ON record_people (incident_id, pn);

CREATE TABLE people (
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL,
  -- Person number within the incident (dense, stable across re-resolution where possible).
  pn integer NOT NULL,
  categories integer NOT NULL,
  risk_tier text NOT NULL CHECK (risk_tier IN ('high', 'medium', 'low')),
  jurisdiction text NOT NULL,
  -- Records with addresses disagree on the jurisdiction (the most recent one wins).
  jurisdiction_disputed boolean NOT NULL DEFAULT false,
  locale text,
  reachable_email boolean NOT NULL,
  reachable_phone boolean NOT NULL,
  reachable_postal boolean NOT NULL,
  record_count integer NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, pn),
  UNIQUE (incident_id, id)
) PARTITION BY LIST (incident_id);
CREATE INDEX people_jurisdiction_idx ON people (incident_id, jurisdiction);

-- Records that share an email or phone but carry different strong identifiers: kept apart until a person
-- decides. A 'merged' decision makes resolution join them from then on.
CREATE TABLE resolution_conflicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  rn_a bigint NOT NULL,
  rn_b bigint NOT NULL,
  shared text NOT NULL CHECK (shared IN ('customer_id', 'national_id', 'email', 'phone')),
  differing text NOT NULL CHECK (differing IN ('customer_id', 'national_id')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'merged', 'kept_apart')),
  decided_by text,
  decided_at timestamptz,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (incident_id, rn_a, rn_b)
);
CREATE INDEX resolution_conflicts_open_idx ON resolution_conflicts (incident_id, status);

-- Creates the per-incident partitions; called when an incident is created.
CREATE FUNCTION create_incident_partitions(incident uuid) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  suffix text := replace(incident::text, '-', '');
BEGIN
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF source_records FOR VALUES IN (%L) PARTITION BY LIST (import_id)', 'source_records_' || suffix, incident);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF record_people FOR VALUES IN (%L)', 'record_people_' || suffix, incident);
  EXECUTE format('CREATE TABLE IF NOT EXISTS %I PARTITION OF people FOR VALUES IN (%L)', 'people_' || suffix, incident);
END $$;
