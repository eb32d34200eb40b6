-- Access and compliance (issue 18): the standalone app's users, their sign-in sessions, API keys,
-- the audit log and the central opt-out list. Retention settings live in `settings` (key
-- 'retention'); the offboarding checklist's state in `settings` (key 'offboarding').

-- A person who signs in to the standalone app (OIDC), is provisioned by SCIM, or is added by an
-- Admin. One row per person: SCIM's userName, the ID token's email and `signalfit users add`
-- meet on the lowercased email; SCIM's externalId may name the ID token's `sub` instead.
CREATE TABLE users (
  id text PRIMARY KEY,
  email text NOT NULL,
  name text,
  role text NOT NULL,
  active boolean NOT NULL DEFAULT true,
  -- SCIM's externalId, when an identity provider provisioned the user.
  external_id text,
  -- The ID token's `sub` of the user's first sign-in.
  oidc_subject text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  deactivated_at timestamptz,
  last_sign_in_at timestamptz
);
CREATE UNIQUE INDEX users_email_idx ON users (lower(email));
CREATE UNIQUE INDEX users_external_id_idx ON users (external_id) WHERE external_id IS NOT NULL;
CREATE UNIQUE INDEX users_oidc_subject_idx ON users (oidc_subject) WHERE oidc_subject IS NOT NULL;

-- A signed-in browser: the cookie holds a random secret, the row its SHA-256 (a stolen copy of
-- the store cannot sign anyone in). Revoked at sign-out; refused once the user is deactivated.
CREATE TABLE user_sessions (
  id text PRIMARY KEY,
  user_id text NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  revoked_at timestamptz
);
CREATE INDEX user_sessions_user_idx ON user_sessions (user_id);

-- An OIDC authorization request between the redirect to the provider and its callback: the
-- state, nonce and PKCE verifier, kept in the store so any instance can take the callback.
CREATE TABLE oidc_sign_in_requests (
  state text PRIMARY KEY,
  nonce text NOT NULL,
  code_verifier text NOT NULL,
  return_to text,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- A key for an integration: shown once, stored as its SHA-256. A key with an owner stops
-- working when the owner is deactivated; a key without one is a service key.
CREATE TABLE api_keys (
  id text PRIMARY KEY,
  name text NOT NULL,
  role text NOT NULL,
  user_id text REFERENCES users (id) ON DELETE SET NULL,
  -- Set when the owner was deleted (SCIM DELETE): such a key never works again.
  owner_deleted boolean NOT NULL DEFAULT false,
  key_hash text NOT NULL UNIQUE,
  -- The key's first characters, to tell keys apart in lists without showing them.
  prefix text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  last_used_at timestamptz,
  revoked_at timestamptz,
  revoked_by text
);
CREATE UNIQUE INDEX api_keys_live_name_idx ON api_keys (lower(name)) WHERE revoked_at IS NULL;

-- Every change and every outbound push: who, what, when, counts.
CREATE TABLE audit_log (
  id bigserial PRIMARY KEY,
  at timestamptz NOT NULL DEFAULT now(),
  -- How the actor is named (email, key name, "command line") and what kind of actor it is.
  actor text NOT NULL,
  actor_kind text NOT NULL,
  -- A dotted verb, e.g. segment.publish, outreach.enroll (services/audit/auditActions.ts).
  action text NOT NULL,
  target_type text,
  target_id text,
  summary text NOT NULL,
  counts jsonb NOT NULL DEFAULT '{}'::jsonb
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_action_idx ON audit_log (action, at);

-- The central opt-out list: addresses and whole domains nobody sends to, merged at the
-- outbound choke point with the people's own opt-out flag (services/outbound/optOuts.ts).
CREATE TABLE opt_outs (
  kind text NOT NULL CHECK (kind IN ('email', 'domain')),
  -- Trimmed and lowercased; a domain without scheme, www. or path.
  value text NOT NULL,
  source text NOT NULL,
  reason text,
  created_at timestamptz NOT NULL DEFAULT now(),
  created_by text NOT NULL,
  PRIMARY KEY (kind, value)
);
CREATE INDEX opt_outs_created_idx ON opt_outs (created_at);
