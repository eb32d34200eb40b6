-- Salesforce sync and score write-back (issue 6): where each pull stands, which rows came from
-- Salesforce, what was written back, and the runs of the sync, the write-back and the schedule.

-- Every record landed from Salesforce, so that only those are written back (imported and demo
-- rows may carry Salesforce-shaped ids too). Converted leads cannot be updated in Salesforce.
CREATE TABLE salesforce_records (
  id text PRIMARY KEY,
  sobject text NOT NULL,
  converted boolean NOT NULL DEFAULT false
);
CREATE INDEX salesforce_records_sobject_idx ON salesforce_records (sobject, id);

-- One row per object. `synced_until`: every change with SystemModstamp up to it has landed.
-- While a pull is under way, its Bulk API query job, the window it covers and the locator of
-- the next page are kept here, in the transaction that lands each page, so a rerun resumes.
CREATE TABLE salesforce_sync_checkpoints (
  sobject text PRIMARY KEY,
  synced_until timestamptz,
  job_id text,
  window_start timestamptz,
  window_end timestamptz,
  next_locator text,
  records_read bigint NOT NULL DEFAULT 0,
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- Records the sync could not land (no account to attach to, a value out of range), with why.
-- A later change of the record retries it.
CREATE TABLE salesforce_sync_rejects (
  sobject text NOT NULL,
  id text NOT NULL,
  reason text NOT NULL,
  seen_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sobject, id)
);

-- What Salesforce last accepted per record: the next write-back sends only rows that differ.
CREATE TABLE salesforce_written_values (
  sobject text NOT NULL,
  id text NOT NULL,
  field_values jsonb NOT NULL,
  written_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sobject, id)
);

-- Rows Salesforce refused on the last attempt, with its error; retried on every run.
CREATE TABLE salesforce_writeback_failures (
  sobject text NOT NULL,
  id text NOT NULL,
  error text NOT NULL,
  attempts integer NOT NULL DEFAULT 1,
  failed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (sobject, id)
);

-- An update job handed to Salesforce and not yet reconciled, with the rows it carries: a rerun
-- after a crash finishes it (or aborts it when it was never closed) instead of sending it again.
CREATE TABLE salesforce_writeback_jobs (
  job_id text PRIMARY KEY,
  sobject text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE salesforce_writeback_rows (
  job_id text NOT NULL REFERENCES salesforce_writeback_jobs (job_id) ON DELETE CASCADE,
  id text NOT NULL,
  field_values jsonb NOT NULL,
  PRIMARY KEY (job_id, id)
);

-- Signalfit's own API calls per hour: the budget is a share of the org's daily limit, which
-- is kept too, so that a run knows its budget before its first call.
CREATE TABLE salesforce_api_usage (
  hour timestamptz PRIMARY KEY,
  calls integer NOT NULL,
  org_limit integer
);

-- Runs of the sync, the write-back and the daily schedule (GET /api/admin/runs).
CREATE TABLE job_runs (
  id bigserial PRIMARY KEY,
  kind text NOT NULL,
  trigger text NOT NULL DEFAULT 'manual',
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', 'paused', 'failed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  counts jsonb NOT NULL DEFAULT '{}',
  errors jsonb NOT NULL DEFAULT '[]'
);
CREATE INDEX job_runs_started_idx ON job_runs (started_at DESC, id DESC);

-- A scheduled slot is claimed by inserting it: of several instances, one wins and runs it.
CREATE TABLE job_slots (
  name text NOT NULL,
  slot timestamptz NOT NULL,
  holder text NOT NULL,
  claimed_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (name, slot)
);

-- Leases: at most one holder runs a given job at a time, across instances and commands.
CREATE TABLE job_leases (
  name text PRIMARY KEY,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL
);
