-- What other modules read of an incident's people, kept per resolution instead of counted again on every
-- read (issue 21): one row per (jurisdiction, categories) cell with its number of people. The obligations
-- engine, the minute's deadline reminders, the incident list and the exposure mask read these few hundred
-- rows, not a GROUP BY over millions of people. Resolution rewrites an incident's cells in the transaction
-- that rewrites its people, so they never disagree.
CREATE TABLE people_cells (
  incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
  jurisdiction text NOT NULL,
  categories integer NOT NULL,
  people bigint NOT NULL CHECK (people > 0),
  PRIMARY KEY (incident_id, jurisdiction, categories)
);
COMMENT ON TABLE people_cells IS 'owner: people';

INSERT INTO people_cells (incident_id, jurisdiction, categories, people)
SELECT incident_id, jurisdiction, categories, count(*) FROM people GROUP BY incident_id, jurisdiction, categories;
