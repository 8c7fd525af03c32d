-- The console at 20M records (issue 21): the People page's figures and a campaign's reach read every person
-- of the incident (two passes for the figures, one per campaign for the reach: 135 ms at 200k people,
-- seconds at millions), though their few columns take ~100 distinct values together. The incident's cells
-- gain those columns (locale, the three ways to reach, the records behind the people), so both read a few
-- hundred rows; resolution still rewrites them with the people, in one transaction.
ALTER TABLE people_cells DROP CONSTRAINT people_cells_pkey;
ALTER TABLE people_cells
  ADD COLUMN locale text,
  ADD COLUMN reachable_email boolean NOT NULL DEFAULT false,
  ADD COLUMN reachable_phone boolean NOT NULL DEFAULT false,
  ADD COLUMN reachable_postal boolean NOT NULL DEFAULT false,
  ADD COLUMN records bigint NOT NULL DEFAULT 0;
CREATE UNIQUE INDEX people_cells_key ON people_cells
  (incident_id, jurisdiction, categories, locale, reachable_email, reachable_phone, reachable_postal) NULLS NOT DISTINCT;
DELETE FROM people_cells;
INSERT INTO people_cells (incident_id, jurisdiction, categories, locale, reachable_email, reachable_phone,
    reachable_postal, people, records)
SELECT incident_id, jurisdiction, categories, locale, reachable_email, reachable_phone, reachable_postal, count(*),
  sum(record_count)
FROM people
GROUP BY incident_id, jurisdiction, categories, locale, reachable_email, reachable_phone, reachable_postal;

-- From a person to their records (contacts, the people list's identifiers, a person's page): record_people
-- gives the record numbers, and the records' primary key leads with the import, which the join does not
-- know, so every such read scanned all the incident's records (~0.4 s a page at 1M records).
CREATE INDEX source_records_rn_idx ON source_records (incident_id, rn);
