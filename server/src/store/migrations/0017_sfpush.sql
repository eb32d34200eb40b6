-- A Salesforce push job remembers what each of its rows stands for: pairs [match, person key],
-- the match being a column Salesforce echoes in the job's results (the Email of a created person,
-- the LeadId or ContactId of a campaign member, the Id of a member removed). A call that finishes
-- the job of a crashed one maps its results back to people with it, whoever it was called for.
ALTER TABLE salesforce_push_jobs ADD COLUMN sent jsonb NOT NULL DEFAULT '[]'::jsonb;
