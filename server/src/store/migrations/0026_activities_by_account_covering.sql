-- A scoring run reads its accounts 50,000 at a time (docs/models.md, "Runs in parts"): each
-- part's window counts group its accounts' activity of the 91 days before the day. With only
-- (account_id, occurred_at) in this index, a part's counts either fetched every activity from
-- the table (cheap only when the table happens to lie in account order) or scanned the whole
-- window through activities_report_time_idx once per part. The columns the counts and the small
-- cohorts of the reports classify activities by, included here, make each part one index-only
-- range scan of its own accounts, whatever order the activity arrived in.
DROP INDEX activities_account_time_idx;
CREATE INDEX activities_account_time_idx ON activities (account_id, occurred_at)
  INCLUDE (type, source, keyword, contact_id);
