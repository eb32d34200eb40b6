-- The fields each object's pull asks for (issue 14). When the field mapping changes them (a field
-- added to account.crmFields, say), the next pull takes every record of the object again, so no
-- record lacks the new field. `fields`: the select list of the last finished window (null: not
-- known, the pull stays incremental); `window_fields`: that of the pull under way.
ALTER TABLE salesforce_sync_checkpoints ADD COLUMN fields text, ADD COLUMN window_fields text;

-- Accounts synced before the CRM fields were read are taken again once, to fill
-- account_crm_fields: an empty list never equals the list of a real pull.
UPDATE salesforce_sync_checkpoints SET fields = '' WHERE sobject = 'Account' AND synced_until IS NOT NULL;
