-- The affected-people list, per-import conflict counts, outbox search, where inbox messages went, and
-- staff named in macros.

-- Conflicts each import brought: a conflict's newer record (rn_b) names the import (import-conflicts.ts).
CREATE INDEX resolution_conflicts_rn_b_idx ON resolution_conflicts (incident_id, rn_b);

-- The people list pages by person number (the primary key walks it unfiltered); filtered by risk tier or
-- jurisdiction, these keep it a walk of the index in page order instead of a scan and sort.
CREATE INDEX people_risk_pn_idx ON people (incident_id, risk_tier, pn);
CREATE INDEX people_jurisdiction_pn_idx ON people (incident_id, jurisdiction, pn);
-- Superseded by people_jurisdiction_pn_idx (same leading columns).
DROP INDEX people_jurisdiction_idx;

-- The recipient's blind index (HMAC of the normalized email or phone, the people's own index), so staff
-- can find a message by exact address without decrypting the outbox. Null for letters, and for messages
-- stored before this migration.
ALTER TABLE outbox_messages ADD COLUMN to_idx bytea;
CREATE INDEX outbox_messages_campaign_to_idx ON outbox_messages (campaign_id, to_idx, id) WHERE to_idx IS NOT NULL;
CREATE INDEX outbox_messages_site_to_idx ON outbox_messages (incident_id, to_idx, id)
  WHERE campaign_id IS NULL AND to_idx IS NOT NULL;

-- Which sender took a site or inbox message ('smtp', 'sms-provider' or 'outbox'), so a thread can say where
-- its verification code or reply went; and the inbox message a queued message belongs to, found fast.
ALTER TABLE notice_messages ADD COLUMN sent_via text CHECK (sent_via IN ('smtp', 'sms-provider', 'outbox'));
CREATE INDEX notice_messages_inbox_idx ON notice_messages (inbox_message_id) WHERE inbox_message_id IS NOT NULL;

-- Macros name the staff member who last changed them by id, so the console shows a current name.
ALTER TABLE inbox_macros ADD COLUMN updated_by_id uuid REFERENCES users (id) ON DELETE SET NULL;
