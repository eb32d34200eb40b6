-- Scoring runs (docs/scoring.md). Every run is a dated snapshot that is kept; readers take
-- the current run (the complete run with the latest as_of, then the latest id) in one statement,
-- so they see the previous complete run or the new complete run, never a mix.

CREATE TABLE score_runs (
  id bigserial PRIMARY KEY,
  as_of date NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'complete', 'failed')),
  started_at timestamptz NOT NULL DEFAULT now(),
  finished_at timestamptz,
  model_version text,
  accounts integer,
  people integer,
  -- Which methods were chosen, their backtest figures, fallbacks taken and why.
  summary jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX score_runs_current_idx ON score_runs (as_of DESC, id DESC) WHERE status = 'complete';

-- A score is null when its model could not be trained (too little history); the run's summary says why.
CREATE TABLE account_scores (
  run_id bigint NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
  account_id text NOT NULL,
  intent_score smallint CHECK (intent_score BETWEEN 0 AND 100),
  buying_stage text CHECK (buying_stage IN ('Target', 'Awareness', 'Consideration', 'Decision', 'Purchase')),
  profile_score smallint CHECK (profile_score BETWEEN 0 AND 100),
  profile_fit text CHECK (profile_fit IN ('Strong', 'Moderate', 'Weak')),
  reach text NOT NULL CHECK (reach IN ('Low', 'Medium', 'High')),
  qualified boolean NOT NULL,
  qualified_since date,
  -- {"profile": [{"text": "Industry: Software", "weight": 0.8}, …], "intent": […], "reach": […]}
  -- (json, not jsonb: written a million rows at a time and read whole, never searched)
  reasons json NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, account_id)
);
CREATE INDEX account_scores_account_idx ON account_scores (account_id, run_id);

CREATE TABLE contact_scores (
  run_id bigint NOT NULL REFERENCES score_runs (id) ON DELETE CASCADE,
  contact_id text NOT NULL,
  account_id text NOT NULL,
  engagement_score smallint NOT NULL CHECK (engagement_score BETWEEN 0 AND 100),
  engagement_grade text NOT NULL CHECK (engagement_grade IN ('A', 'B', 'C', 'D')),
  profile_score smallint CHECK (profile_score BETWEEN 0 AND 100),
  profile_fit text CHECK (profile_fit IN ('Strong', 'Moderate', 'Weak')),
  persona text,
  -- {"engagement": [...], "profile": [...]}
  reasons json NOT NULL DEFAULT '{}',
  PRIMARY KEY (run_id, contact_id)
);
CREATE INDEX contact_scores_account_idx ON contact_scores (run_id, account_id);

-- Settings an operator changes at run time (persona map, fit bands, relevant-opportunity rule).
-- A missing key means the shipped default.
CREATE TABLE settings (
  key text PRIMARY KEY,
  value jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
