-- The canonical data (docs/command-line.md, "Import"). Ids are the source system's ids.
-- Every fact table carries account_id, so that the tables can later be distributed by account.

CREATE TABLE accounts (
  id text PRIMARY KEY,
  name text,
  domain text,
  industry text,
  employees integer,
  annual_revenue numeric,
  country text,
  naics text,
  technologies text[] NOT NULL DEFAULT '{}',
  created_at timestamptz
);
CREATE INDEX accounts_domain_idx ON accounts (domain);

CREATE TABLE contacts (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  email text,
  first_name text,
  last_name text,
  title text,
  job_level text,
  job_function text,
  country text,
  kind text NOT NULL DEFAULT 'contact' CHECK (kind IN ('contact', 'lead')),
  opted_out boolean NOT NULL DEFAULT false,
  created_at timestamptz
);
CREATE INDEX contacts_account_idx ON contacts (account_id);
CREATE INDEX contacts_email_idx ON contacts (lower(email));

CREATE TABLE opportunities (
  id text PRIMARY KEY,
  account_id text NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
  name text,
  type text,
  amount numeric,
  currency text,
  stage text,
  is_closed boolean,
  is_won boolean,
  relevant boolean,
  created_at timestamptz NOT NULL,
  closed_at timestamptz
);
CREATE INDEX opportunities_account_idx ON opportunities (account_id, created_at);

-- No foreign key here on purpose: activities arrive by the million, and the import checks
-- account_id against accounts in one set-based join instead of one lookup per row.
CREATE TABLE activities (
  id text PRIMARY KEY,
  occurred_at timestamptz NOT NULL,
  account_id text NOT NULL,
  contact_id text,
  type text NOT NULL,
  source text,
  keyword text,
  url text,
  campaign text
);
CREATE INDEX activities_account_time_idx ON activities (account_id, occurred_at);

CREATE TABLE keywords (
  keyword text PRIMARY KEY,
  product_category text,
  kind text CHECK (kind IN ('branded', 'generic'))
);
