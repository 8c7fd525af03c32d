-- Imports: how customer ids compare, and warnings counted by kind; records: whether the email needs SMTPUTF8.

-- Customer ids compare ignoring case unless an incident's source systems tell `C9002` and `c9002` apart.
-- One rule per incident (an import with the other rule is refused). Imports made before this migration
-- compared ids case-sensitively and their blind indexes were made so: they keep that rule.
ALTER TABLE imports ADD COLUMN case_sensitive_ids boolean NOT NULL DEFAULT false;
UPDATE imports SET case_sensitive_ids = true;

-- Warnings on kept rows, per kind ({"literal_quote": 3, ...}); they move with the checkpoint, like the
-- accepted and rejected counters, so a resumed import counts each once.
ALTER TABLE imports ADD COLUMN warnings jsonb NOT NULL DEFAULT '{}';

-- The record's email has a non-ASCII local part (RFC 6531): only a relay with SMTPUTF8 takes it. Few
-- records have one, so a partial index finds them for the people counts.
ALTER TABLE source_records ADD COLUMN email_smtputf8 boolean NOT NULL DEFAULT false;
CREATE INDEX source_records_smtputf8_idx ON source_records (incident_id) WHERE email_smtputf8;

-- The staging tables of imports still parsing were made LIKE source_records without the column: they get
-- it too, or they could not be attached when parsing ends.
DO $$
DECLARE
  staging text;
BEGIN
  FOR staging IN
    SELECT 'source_records_i' || replace(id::text, '-', '') FROM imports
    WHERE status IN ('pending', 'parsing', 'resolving')
  LOOP
    IF to_regclass(staging) IS NOT NULL
       AND NOT EXISTS (SELECT 1 FROM pg_inherits WHERE inhrelid = to_regclass(staging)) THEN
      EXECUTE format('ALTER TABLE %I ADD COLUMN email_smtputf8 boolean NOT NULL DEFAULT false', staging);
    END IF;
  END LOOP;
END $$;
