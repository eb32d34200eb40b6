-- Segments, their publication to Salesforce and their alerts (issue 14, docs/segments.md).

-- A segment: a filter over the current complete run (kind filter or crm) or an uploaded list.
-- Names are unique whatever their case. `version` counts the changes of the definition.
CREATE TABLE segments (
  id bigserial PRIMARY KEY,
  name text NOT NULL,
  description text,
  folder text,
  tags text[] NOT NULL DEFAULT '{}',
  owner text,
  kind text NOT NULL CHECK (kind IN ('filter', 'list', 'crm')),
  -- The filter language's JSON (domain/segments/definition.ts); for a list segment, null or a
  -- filter that further narrows the uploaded list.
  definition jsonb,
  published boolean NOT NULL DEFAULT false,
  published_at timestamptz,
  published_by text,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  updated_by text
);
CREATE UNIQUE INDEX segments_name_idx ON segments (lower(name));

-- Every change of a segment, kept after the segment is deleted: who, when, what it was and became.
CREATE TABLE segment_changes (
  id bigserial PRIMARY KEY,
  segment_id bigint NOT NULL,
  version integer NOT NULL,
  action text NOT NULL CHECK (action IN ('created', 'updated', 'list_uploaded', 'published', 'unpublished', 'deleted')),
  changed_by text,
  changed_at timestamptz NOT NULL DEFAULT now(),
  old_value jsonb,
  new_value jsonb
);
CREATE INDEX segment_changes_segment_idx ON segment_changes (segment_id, id);

-- The accounts of a list segment (matched at upload; unmatched rows are reported, not kept).
CREATE TABLE segment_list_members (
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  PRIMARY KEY (segment_id, account_id)
);

-- The cohort history: the members of every segment as each complete run recorded them, one
-- sorted array per segment and run (written in the run's own transaction, read back by reports
-- and alerts). `definition` is what was evaluated, so a later edit does not rewrite history.
CREATE TABLE segment_run_members (
  run_id bigint NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  version integer NOT NULL,
  definition jsonb,
  members integer NOT NULL,
  account_ids text[] NOT NULL,
  PRIMARY KEY (run_id, segment_id)
);
CREATE INDEX segment_run_members_segment_idx ON segment_run_members (segment_id, run_id);

-- The Salesforce account fields CRM segments filter on (owner, type, mapped custom fields), as
-- the last sync landed them: {"OwnerId": "005…", "Owner.Name": "Ada", "Type": "Customer", …}.
CREATE TABLE account_crm_fields (
  account_id text PRIMARY KEY,
  field_values jsonb NOT NULL,
  synced_at timestamptz NOT NULL DEFAULT now()
);

-- Alert subscriptions. The webhook URL is sealed with SIGNALFIT_SECRET_KEY and shown by its
-- masked hint only; a subscription without a webhook feeds the in-app alert list alone.
-- `baseline_run_id`: the complete run current when it was made, which its first run compares with.
CREATE TABLE alert_subscriptions (
  id bigserial PRIMARY KEY,
  segment_id bigint NOT NULL REFERENCES segments (id) ON DELETE CASCADE,
  event text NOT NULL CHECK (event IN ('became_qualified', 'stage_advanced', 'entered_segment')),
  delivery text NOT NULL DEFAULT 'immediate' CHECK (delivery IN ('immediate', 'daily')),
  webhook_sealed text,
  webhook_hint text,
  baseline_run_id bigint,
  created_by text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX alert_subscriptions_segment_idx ON alert_subscriptions (segment_id);

-- One alert per subscription, account, event and run day: the key makes "never twice" hold
-- across crashes and reruns. `state`: pending → sending (claimed, just before the POST) → sent,
-- or failed with the reason; a row left in sending by a crash is not sent again (it may have
-- reached Slack) but is shown as unconfirmed. The in-app list reads this table.
CREATE TABLE alert_deliveries (
  subscription_id bigint NOT NULL REFERENCES alert_subscriptions (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  event text NOT NULL,
  run_day date NOT NULL,
  run_id bigint NOT NULL,
  segment_id bigint NOT NULL,
  -- name, fit, stage, intent score and top reason as they were when the alert was raised
  details jsonb NOT NULL,
  state text NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'sending', 'sent', 'failed', 'in_app')),
  error text,
  created_at timestamptz NOT NULL DEFAULT now(),
  sent_at timestamptz,
  PRIMARY KEY (subscription_id, account_id, event, run_day)
);
CREATE INDEX alert_deliveries_recent_idx ON alert_deliveries (created_at DESC);
CREATE INDEX alert_deliveries_state_idx ON alert_deliveries (state, subscription_id) WHERE state IN ('pending', 'sending');
