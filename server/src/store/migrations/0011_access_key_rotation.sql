-- Access-token signing keys that rotate (docs/configuration.md "Access-token signing keys"). Each key has an id
-- (the `kid` of the tokens it signs); the one without `retired_at` signs new tokens, a retired one
-- only verifies the tokens it signed until they expire, then it is deleted. `encrypted`: the
-- secret is sealed with SIGNALFIT_SECRET_KEY (AES-256-GCM); a plaintext key left by an earlier
-- version (or a local trial without SIGNALFIT_SECRET_KEY) is sealed and retired by the service as
-- soon as it runs with SIGNALFIT_SECRET_KEY: SQL cannot do it, it does not have the key.
ALTER TABLE access_token_keys RENAME COLUMN name TO id;
ALTER TABLE access_token_keys ADD COLUMN encrypted boolean NOT NULL DEFAULT false;
ALTER TABLE access_token_keys ADD COLUMN retired_at timestamptz;
-- At most one current key, even when several instances create or rotate it at once.
CREATE UNIQUE INDEX access_token_keys_one_current ON access_token_keys ((true)) WHERE retired_at IS NULL;
