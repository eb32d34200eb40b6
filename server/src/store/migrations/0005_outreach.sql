-- Outreach (issue 5): each user's connection, the short-lived tickets and OAuth states of the
-- connect flow, the Idempotency-Key answers of enrollment requests and every enrollment attempt.

-- One Outreach connection per Signalfit user (Salesforce org + user). Tokens are AES-256-GCM
-- ciphertexts (iv || tag || data) under a key derived from SIGNALFIT_SECRET_KEY.
CREATE TABLE outreach_connections (
  org_id text NOT NULL,
  user_id text NOT NULL,
  access_token bytea NOT NULL,
  refresh_token bytea NOT NULL,
  expires_at timestamptz NOT NULL,
  scope text NOT NULL,
  outreach_user_id text,
  outreach_email text,
  connected_at timestamptz NOT NULL DEFAULT now(),
  refreshed_at timestamptz,
  PRIMARY KEY (org_id, user_id)
);

-- A connect ticket is minted with the bearer token (a navigation cannot carry it) and used once,
-- within a minute, by GET /api/outreach/connect. Only its SHA-256 is kept.
CREATE TABLE outreach_connect_tickets (
  ticket_hash text PRIMARY KEY,
  org_id text NOT NULL,
  user_id text NOT NULL,
  email text,
  expires_at timestamptz NOT NULL
);

-- The OAuth `state` of a connect under way: ties the callback to the user who started it.
CREATE TABLE outreach_oauth_states (
  state_hash text PRIMARY KEY,
  org_id text NOT NULL,
  user_id text NOT NULL,
  email text,
  expires_at timestamptz NOT NULL
);

-- The answer to an enrollment request sent with an Idempotency-Key, per user: a retry gets it
-- back instead of running again. `response` is null while the first request is still running, in
-- the service instance `owner`.
CREATE TABLE outreach_enrollment_requests (
  org_id text NOT NULL,
  user_id text NOT NULL,
  idempotency_key text NOT NULL,
  request_hash text NOT NULL,
  owner text NOT NULL,
  response jsonb,
  started_at timestamptz NOT NULL,
  finished_at timestamptz,
  PRIMARY KEY (org_id, user_id, idempotency_key)
);

-- Every enrollment attempt, one row per person: who asked, for whom, into which sequence with
-- which mailbox, and what came of it (a result code of the enrollment API).
CREATE TABLE outreach_enrollment_attempts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  org_id text NOT NULL,
  user_id text NOT NULL,
  user_name text,
  person_id text NOT NULL,
  account_id text,
  sequence_id text NOT NULL,
  sequence_name text,
  mailbox_id text NOT NULL,
  result text NOT NULL,
  prospect_id text,
  sequence_state_id text,
  detail text,
  attempted_at timestamptz NOT NULL
);
CREATE INDEX outreach_enrollment_attempts_person_idx ON outreach_enrollment_attempts (person_id, attempted_at);
