-- Model versions (docs/models.md). Every trained model is kept as a version with its parameters,
-- and a run names the versions it applied, so any run can be reproduced and any roll-out undone.

-- One training (`models train`, the schedule, or a store's first run) makes one version of each
-- kind; versions trained together roll out together.
CREATE TABLE model_trainings (
  id bigserial PRIMARY KEY,
  trained_as_of date NOT NULL,
  -- Who asked: 'schedule', 'first_run', or the actor's label.
  requested_by text NOT NULL,
  -- Candidate-only: when the roll-out to active is due, and when Admins were told of it.
  rollout_on date,
  announced_at timestamptz,
  reminded_at timestamptz,
  -- The comparison with the versions active when it was trained (models compare), kept once made.
  comparison json,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE model_versions (
  id bigserial PRIMARY KEY,
  training_id bigint NOT NULL REFERENCES model_trainings (id),
  kind text NOT NULL CHECK (kind IN ('intent', 'profile_fit', 'contact_fit', 'engagement')),
  engine_version text NOT NULL,
  trained_as_of date NOT NULL,
  -- Training window and data counts: { window_start, window_end, examples, positives, ... }.
  training json NOT NULL,
  -- The chosen method (logistic, naive_bayes), null when too little history or for engagement.
  method text,
  -- The fitted model and its feature definitions, as exact text (domain/scoring/modelCodec.ts).
  params json NOT NULL,
  -- Its own backtest figures: { auc, auc_ci, identification_rate, by_stage | by_band, ... }.
  backtest json,
  auc double precision,
  identification_rate double precision,
  state text NOT NULL CHECK (state IN ('active', 'candidate', 'rejected', 'retired')),
  state_changed_at timestamptz NOT NULL DEFAULT now(),
  state_changed_by text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX model_versions_one_active_idx ON model_versions (kind) WHERE state = 'active';
CREATE INDEX model_versions_training_idx ON model_versions (training_id);

-- Every state change, in order: what a rollback goes back along.
CREATE TABLE model_version_events (
  id bigserial PRIMARY KEY,
  version_id bigint NOT NULL REFERENCES model_versions (id),
  from_state text,
  to_state text NOT NULL,
  -- approve, postpone, reject, rollback, rollout (the schedule), first_run, worse (not rolled out)
  action text NOT NULL,
  actor text NOT NULL,
  note text,
  at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX model_version_events_version_idx ON model_version_events (version_id, id);

-- The versions a run applied: { "intent": 12, "profile_fit": 13, "contact_fit": 14, "engagement": 15 }.
ALTER TABLE score_runs ADD COLUMN model_versions json;
