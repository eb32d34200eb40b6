-- What a scoring run's write maintains per row (issue 3, speed). Measured on PostgreSQL with
-- 1,185,170 person rows (scripts/bench/scoreWrite.ts, RESULTS.md): the foreign key from a score
-- row to its run cost more than the COPY itself (a key check per row), and the second index of
-- contact_scores, which no reader uses, a third of the rest.

-- Score rows go with their run by these triggers instead of a foreign key with ON DELETE CASCADE:
-- a run and its rows are written in one transaction by one writer (scoreStore.ts), so the key
-- would only ever check what that writer has just inserted.
ALTER TABLE account_scores DROP CONSTRAINT account_scores_run_id_fkey;
ALTER TABLE contact_scores DROP CONSTRAINT contact_scores_run_id_fkey;

CREATE FUNCTION score_runs_delete_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM account_scores WHERE run_id = OLD.id;
  DELETE FROM contact_scores WHERE run_id = OLD.id;
  RETURN OLD;
END
$$;
CREATE TRIGGER score_runs_delete_scores AFTER DELETE ON score_runs
  FOR EACH ROW EXECUTE FUNCTION score_runs_delete_scores();

CREATE FUNCTION score_runs_truncate_scores() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  TRUNCATE account_scores, contact_scores;
  RETURN NULL;
END
$$;
CREATE TRIGGER score_runs_truncate_scores AFTER TRUNCATE ON score_runs
  FOR EACH STATEMENT EXECUTE FUNCTION score_runs_truncate_scores();

-- Readers find a person's score by (run_id, contact_id), the primary key, and an account's
-- people through contacts (accountPeople.ts), never by (run_id, account_id).
DROP INDEX contact_scores_account_idx;
