-- Orchestrations, contact-data providers, purchases, credits and pushes to Salesforce campaigns
-- (issue 15, docs/orchestrations.md).

-- A contact-data provider: a vendor's CSV export in a folder, or an HTTP adapter.
-- settings: csv { dir }; http { url, token (encrypted with SIGNALFIT_SECRET_KEY, base64) }.
CREATE TABLE contact_providers (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  type text NOT NULL CHECK (type IN ('csv', 'http')),
  settings jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text
);
CREATE UNIQUE INDEX contact_providers_name_idx ON contact_providers (lower(name));

-- An orchestration: a segment, a goal, a target and how and when it runs. The segment cannot be
-- deleted while an orchestration uses it.
CREATE TABLE orchestrations (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  goal text NOT NULL CHECK (goal IN ('acquire_contacts', 'add_to_audience')),
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE RESTRICT,
  provider_id bigint REFERENCES contact_providers (id) ON DELETE RESTRICT,
  target jsonb NOT NULL,
  filters jsonb NOT NULL DEFAULT '{}',
  audience jsonb NOT NULL DEFAULT '{}',
  schedule jsonb NOT NULL DEFAULT '"manual"',
  cooldown_days integer NOT NULL DEFAULT 0 CHECK (cooldown_days >= 0),
  -- Who it acts as (an Outreach target enrols as this user): an actor label and its user id.
  owner text,
  owner_user_id text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE UNIQUE INDEX orchestrations_name_idx ON orchestrations (lower(name));

-- Every change of an orchestration, kept after it is deleted: who, when, what it was and became.
-- Enabling or disabling restricted regions is its own action, so it can be found.
CREATE TABLE orchestration_changes (
  id bigserial PRIMARY KEY,
  orchestration_id bigint NOT NULL,
  version integer NOT NULL,
  action text NOT NULL,
  changed_by text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  old_value jsonb,
  new_value jsonb
);
CREATE INDEX orchestration_changes_idx ON orchestration_changes (orchestration_id, id);

-- A run: queued by Run now, re-push or the schedule (slot: the scheduled time, one run per slot
-- across instances). holder/heartbeat_at tell a live run from a dead one.
CREATE TABLE orchestration_runs (
  id bigserial PRIMARY KEY,
  orchestration_id bigint NOT NULL REFERENCES orchestrations (id) ON DELETE CASCADE,
  trigger text NOT NULL CHECK (trigger IN ('manual', 'schedule', 'repush')),
  state text NOT NULL CHECK (state IN ('queued', 'running', 'complete', 'failed', 'interrupted')),
  requested_by text,
  queued_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  holder text,
  heartbeat_at timestamptz,
  slot timestamptz,
  counts jsonb NOT NULL DEFAULT '{}',
  message text
);
CREATE INDEX orchestration_runs_idx ON orchestration_runs (orchestration_id, id);
CREATE UNIQUE INDEX orchestration_runs_slot_idx ON orchestration_runs (orchestration_id, slot) WHERE slot IS NOT NULL;

-- Every provider contact Signalfit bought or is buying, once across every orchestration and the
-- panel: requested (the provider was asked; a rerun asks again with the same idempotency key),
-- purchased, or failed (the provider refused; may be tried again).
CREATE TABLE contact_purchases (
  id bigserial PRIMARY KEY,
  provider_id bigint NOT NULL REFERENCES contact_providers (id),
  provider_contact_id text NOT NULL,
  email text NOT NULL,
  account_id text,
  contact jsonb NOT NULL,
  orchestration_id bigint,
  run_id bigint,
  source_type text NOT NULL CHECK (source_type IN ('Orchestration', 'Sales Intelligence')),
  state text NOT NULL CHECK (state IN ('requested', 'purchased', 'failed')),
  cost numeric NOT NULL,
  idempotency_key text NOT NULL,
  error text,
  requested_at timestamptz NOT NULL DEFAULT now(),
  purchased_at timestamptz,
  requested_by text
);
CREATE UNIQUE INDEX contact_purchases_contact_idx ON contact_purchases (provider_id, provider_contact_id);
CREATE UNIQUE INDEX contact_purchases_email_idx ON contact_purchases (lower(email)) WHERE state <> 'failed';

-- What happened to each row of each run (the history's detail). purchase_id for bought people,
-- person_id for add_to_audience (a contact or lead of the store).
CREATE TABLE orchestration_records (
  id bigserial PRIMARY KEY,
  run_id bigint NOT NULL REFERENCES orchestration_runs (id) ON DELETE CASCADE,
  orchestration_id bigint NOT NULL,
  account_id text,
  purchase_id bigint REFERENCES contact_purchases (id),
  person_id text,
  provider_contact_id text,
  email text,
  first_name text,
  last_name text,
  title text,
  outcome text NOT NULL CHECK (outcome IN ('purchased', 'pushed', 'skipped', 'failed')),
  reason text,
  error text,
  target_id text,
  member_id text,
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX orchestration_records_run_idx ON orchestration_records (run_id, id);
CREATE INDEX orchestration_records_purchase_idx ON orchestration_records (purchase_id);
CREATE INDEX orchestration_records_orchestration_idx ON orchestration_records (orchestration_id, outcome);

-- add_to_audience's delta: who each orchestration pushed and, when removed, when.
CREATE TABLE orchestration_audience (
  orchestration_id bigint NOT NULL REFERENCES orchestrations (id) ON DELETE CASCADE,
  person_id text NOT NULL,
  target_id text,
  member_id text,
  pushed_at timestamptz NOT NULL,
  removed_at timestamptz,
  PRIMARY KEY (orchestration_id, person_id)
);

-- Credits: one settings row, and the ledger of charges; a purchase is charged exactly once.
CREATE TABLE credit_settings (
  id integer PRIMARY KEY CHECK (id = 1),
  allowance numeric NOT NULL CHECK (allowance >= 0),
  period text NOT NULL DEFAULT 'month' CHECK (period IN ('month')),
  allow_overage boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);

CREATE TABLE credit_ledger (
  id bigserial PRIMARY KEY,
  charged_at timestamptz NOT NULL,
  amount numeric NOT NULL,
  purchase_id bigint NOT NULL UNIQUE REFERENCES contact_purchases (id),
  orchestration_id bigint,
  run_id bigint,
  note text
);
CREATE INDEX credit_ledger_time_idx ON credit_ledger (charged_at);

-- Salesforce pushes (services/orchestrations/salesforce*): each Lead or Contact Signalfit
-- created (key: the purchase, so a rerun creates no second one), each campaign membership it
-- added, and the Bulk API job under way for a scope, so a rerun after a crash reads that job's
-- results instead of sending the rows again.
CREATE TABLE salesforce_created_people (
  key text PRIMARY KEY,
  sobject text NOT NULL CHECK (sobject IN ('Lead', 'Contact')),
  record_id text NOT NULL,
  created_at timestamptz NOT NULL
);

CREATE TABLE salesforce_campaign_members (
  campaign_id text NOT NULL,
  person_id text NOT NULL,
  member_id text,
  added_at timestamptz NOT NULL,
  removed_at timestamptz,
  PRIMARY KEY (campaign_id, person_id)
);

CREATE TABLE salesforce_push_jobs (
  scope text NOT NULL,
  step text NOT NULL,
  job_id text NOT NULL,
  opened_at timestamptz NOT NULL,
  PRIMARY KEY (scope, step)
);
