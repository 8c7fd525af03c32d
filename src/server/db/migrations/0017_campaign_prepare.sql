-- A campaign's start creates its delivery rows in bounded batches (issue 21): 19M people in one
-- INSERT … SELECT held the campaign's row and millions of new rows in one transaction for minutes. A start
-- now moves the campaign to 'preparing'; each batch (people in pn order after the checkpoint) inserts its
-- rows and moves the checkpoint in one transaction, so a crash loses at most the batch in flight and the
-- next pass resumes after `prepared_through_pn`. The deliveries' primary key (incident, campaign, pn,
-- channel) keeps one row per person and channel when a batch is repeated. Sending starts once every row
-- exists (`prepared_at`), so the engine never finishes a campaign that is still growing.
ALTER TABLE campaigns
  DROP CONSTRAINT campaigns_status_check,
  ADD CONSTRAINT campaigns_status_check
    CHECK (status IN ('draft', 'scheduled', 'preparing', 'running', 'paused', 'finished', 'cancelled')),
  -- The last person number whose rows exist; null: none yet.
  ADD COLUMN prepared_through_pn integer,
  -- People whose rows exist, and how many the incident had at the start (progress: prepared of total).
  ADD COLUMN prepared_people integer NOT NULL DEFAULT 0 CHECK (prepared_people >= 0),
  ADD COLUMN prepare_total integer CHECK (prepare_total >= 0),
  -- When the last batch committed: from then on the campaign sends.
  ADD COLUMN prepared_at timestamptz;

-- Campaigns started before batches had every row created in their start's transaction.
UPDATE campaigns
SET prepared_at = started_at, prepared_people = coalesce(recipients, 0), prepare_total = coalesce(recipients, 0)
WHERE started_at IS NOT NULL;

DROP INDEX campaigns_active_idx;
CREATE INDEX campaigns_active_idx ON campaigns (status) WHERE status IN ('scheduled', 'preparing', 'running');
