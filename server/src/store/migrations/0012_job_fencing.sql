-- Fencing (issue 20): every grant of a lease gets a larger token; a job's writes that matter check,
-- in their transaction, that its grant still holds, so a holder that lost its lease cannot commit.
CREATE SEQUENCE job_lease_tokens;
ALTER TABLE job_leases ADD COLUMN token bigint NOT NULL DEFAULT 0;

-- A scheduled slot is finished once its run ended; a slot whose holder died is run once more
-- (attempts 2). Slots claimed before this migration count as finished.
ALTER TABLE job_slots ADD COLUMN attempts integer NOT NULL DEFAULT 1;
ALTER TABLE job_slots ADD COLUMN finished_at timestamptz;
UPDATE job_slots SET finished_at = claimed_at;
