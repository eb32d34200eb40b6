-- The standalone app's accounts list (issue 7): every column sorts and pages on the server with
-- keyset paging, so each sort has an index whose order is the sort key then the id. The keys are
-- the expressions of services/accounts/listAccounts.ts (SORT_KEYS); keep the two in step.

-- Sorts on the account's own columns (the list is read from accounts, scores joined by key).
CREATE INDEX accounts_list_name_idx ON accounts ((lower(coalesce(name, ''))), id);
CREATE INDEX accounts_list_domain_idx ON accounts ((coalesce(domain, '')), id);
CREATE INDEX accounts_list_industry_idx ON accounts ((coalesce(industry, '')), id);
CREATE INDEX accounts_list_employees_idx ON accounts ((coalesce(employees, -1)), id);
-- Search: a name or domain that starts with the words typed (case-insensitive prefix).
CREATE INDEX accounts_search_name_idx ON accounts ((lower(name)) text_pattern_ops);
CREATE INDEX accounts_search_domain_idx ON accounts ((lower(domain)) text_pattern_ops);

-- Sorts on the current run's scores (the list is read from account_scores of one run, accounts
-- joined by primary key). The run id leads, so each run's rows are one range of the index.
CREATE INDEX account_scores_list_intent_idx ON account_scores (run_id, (coalesce(intent_score, -1)), account_id);
CREATE INDEX account_scores_list_fit_idx ON account_scores (run_id, (coalesce(profile_score, -1)), account_id);
CREATE INDEX account_scores_list_stage_idx ON account_scores (
  run_id,
  (CASE buying_stage WHEN 'Target' THEN 1 WHEN 'Awareness' THEN 2 WHEN 'Consideration' THEN 3
    WHEN 'Decision' THEN 4 WHEN 'Purchase' THEN 5 ELSE 0 END),
  account_id
);
CREATE INDEX account_scores_list_reach_idx ON account_scores (
  run_id, (CASE reach WHEN 'Low' THEN 1 WHEN 'Medium' THEN 2 WHEN 'High' THEN 3 ELSE 0 END), account_id
);
CREATE INDEX account_scores_list_qualified_idx ON account_scores (
  run_id, (CASE WHEN qualified THEN coalesce(qualified_since, DATE '0001-01-02') ELSE DATE '0001-01-01' END), account_id
);
