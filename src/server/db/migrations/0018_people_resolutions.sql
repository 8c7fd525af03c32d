-- An incident's re-resolution after conflict decisions (issue 21), one row per incident. A decision records
-- itself, bumps `requested` and enqueues the job `people.resolve-again` in its transaction, then returns; the
-- job (under the incident's import lock) moves the row queued → running (its phase, as resolution reports
-- it) → done (the people count) or failed (a message for staff, never a raw error). A run covers the
-- requests up to `covered`; decisions taken while it runs leave `requested` ahead, so it ends 'queued' and
-- the job that those decisions enqueued runs once more: several decisions in a row make one pending run.
CREATE TABLE people_resolutions (
  incident_id uuid PRIMARY KEY REFERENCES incidents (id) ON DELETE CASCADE,
  state text NOT NULL CHECK (state IN ('queued', 'running', 'done', 'failed')),
  phase text,
  requested bigint NOT NULL DEFAULT 1,
  covered bigint NOT NULL DEFAULT 0,
  requested_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  people bigint,
  error text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  CHECK (covered <= requested)
);
COMMENT ON TABLE people_resolutions IS 'owner: people';
