-- Person scores without a JSON object per person (issue 3, speed). A run writes a million and
-- more person rows; most of their reasons repeat: everyone with the same job shares the same
-- profile reasons, and engagement reasons ("3 email opens in the last 90 days") take few
-- distinct forms. So each distinct list of reasons of a run is stored once, in
-- score_reason_sets, and a person row names its two lists by number.

-- One distinct list of reasons of a run: a JSON array [{"text": …, "weight": …}, …]
-- (json, not jsonb: written whole and read whole, never searched). Written in the run's own
-- transaction, so a run's sets appear and disappear with its person rows.
CREATE TABLE score_reason_sets (
  run_id bigint NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
  id integer NOT NULL,
  reasons json NOT NULL,
  PRIMARY KEY (run_id, id)
);

-- engagement_reasons / profile_reasons: the set (score_reason_sets.id of the same run) holding
-- the person's engagement / profile reasons; null when the person has none. No foreign key: the
-- run's writer writes both tables in one transaction, and a key check per person row would cost
-- more than the rest of the row.
--
-- `reasons` is kept for the runs stored before this migration (readers fall back to it when both
-- set columns are null); runs from now on leave it null.
ALTER TABLE contact_scores
  ADD COLUMN engagement_reasons integer,
  ADD COLUMN profile_reasons integer,
  ALTER COLUMN reasons DROP NOT NULL,
  ALTER COLUMN reasons DROP DEFAULT;
