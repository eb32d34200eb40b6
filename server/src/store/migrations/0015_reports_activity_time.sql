-- Segment performance reports (docs/reports.md) read every activity of a timeframe for a cohort of
-- up to 100,000 accounts. This index holds the columns the report classifies activities by, in
-- time order, so a large cohort's timeframe is one index-only range scan instead of a random heap
-- read per activity (a small cohort still reads activities_account_time_idx).
CREATE INDEX activities_report_time_idx ON activities (occurred_at)
  INCLUDE (account_id, type, source, contact_id, keyword);
