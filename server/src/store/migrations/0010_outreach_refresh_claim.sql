-- An Outreach token refresh makes its network call outside any transaction (issue 20, item 7).
-- So that instances sharing a PostgreSQL still send one refresh per user at a time (Outreach may
-- rotate the refresh token, and mints one token per user a minute), the caller that refreshes
-- first claims the row until this time; the others use the current token or wait for the claim.
ALTER TABLE outreach_connections ADD COLUMN refresh_claimed_until timestamptz;
