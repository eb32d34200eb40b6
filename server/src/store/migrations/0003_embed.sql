-- Embedding in Salesforce (docs/http-api.md "Embed token").

-- Every embed token exchanged so far, by issuer and jti, so that a token is used once even when
-- several instances share the database. A row is only needed until its token expires; the
-- exchange deletes expired rows as it goes.
CREATE TABLE embed_token_uses (
  issuer text NOT NULL,
  jti text NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (issuer, jti)
);
CREATE INDEX embed_token_uses_expiry_idx ON embed_token_uses (expires_at);

-- The key that signs the dashboard's short-lived access tokens. Kept here so that every instance
-- accepts the tokens of the others; created by the first instance that needs it.
CREATE TABLE access_token_keys (
  name text PRIMARY KEY,
  secret bytea NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
