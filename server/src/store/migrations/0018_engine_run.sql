-- Orchestration runs (docs/orchestration-runs.md).

-- The selection looks the provider's emails up among the store's people by trimmed, lowercased
-- address (services/orchestrations/selectionInput.ts): one index probe per address, not a scan.
CREATE INDEX contacts_address_idx ON contacts (lower(trim(email)));

-- A failed run's alert is claimed here before it is sent, so it is never sent twice.
ALTER TABLE orchestration_runs ADD COLUMN alerted_at timestamptz;

-- A re-push run of one run's records (`orchestrations repush --run ID`); null: of every run.
ALTER TABLE orchestration_runs ADD COLUMN repush_of bigint;
