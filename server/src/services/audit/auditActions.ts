/**
 * Every action the audit log records, with what an entry of it means (docs/audit-log.md lists
 * them for readers). Names are `<thing>.<verb>`, lower case. An outbound push is recorded once it
 * is done, with what was sent; a change in the change's transaction.
 */
export const AUDIT_ACTIONS = {
  // Segments
  'segment.create': 'a filter or CRM segment was created',
  'segment.update': 'a segment was changed (name, description, folder, tags or definition)',
  'segment.delete': 'a segment was deleted',
  'segment.publish': 'a segment was published to Salesforce (the field follows at the next write-back)',
  'segment.unpublish': 'a segment was unpublished',
  'segment.upload_list':
    'a list segment was made or changed from an uploaded CSV (counts: rows, matched, added, removed)',
  // Orchestrations
  'orchestration.create': 'an orchestration was created',
  'orchestration.update': 'an orchestration was changed',
  'orchestration.delete': 'an orchestration was deleted',
  'orchestration.run_queued': 'an orchestration run was asked for (now, or by its schedule)',
  'orchestration.run_finished': 'an orchestration run ended (counts: its stage counts)',
  'orchestration.repush': 'the failed pushes of an orchestration run were sent again',
  // Providers and credits
  'provider.add': 'a contact provider was added (its secrets are never recorded)',
  'credits.set': 'the credit balance was set',
  // Alerts
  'alert.create': 'an alert subscription was created',
  'alert.delete': 'an alert subscription was deleted',
  'alert.test_message': 'a test message was sent to an alert subscription’s Slack webhook',
  // Scoring
  'settings.update': 'a scoring setting was stored (personas, fit bands, stage lift cuts, relevant rule)',
  'score.recompute': 'a recompute of the scores was asked for',
  'score.run': 'a score run was stored (counts: accounts, people, qualified)',
  'import.file': 'one canonical CSV was imported (counts: rows read, loaded, rejected)',
  // Model versions (docs/models.md)
  'models.train': 'models were trained: candidates, or a store’s first models, made active (docs/models.md)',
  'models.approve': 'a candidate training was made active at once (the previous versions retired)',
  'models.postpone': 'a candidate training’s roll-out day was moved later',
  'models.reject': 'a candidate training was rejected: it never becomes active',
  'models.rollback': 'the active models were rolled back to the versions active before them',
  'models.rollout': 'the daily job made a candidate training active on its roll-out day',
  // Access
  'accesskey.rotate': 'the access-token signing key was rotated (counts: keys retired, discarded)',
  'user.create': 'a user was added',
  'user.set_role': 'a user’s role was changed',
  'user.deactivate': 'a user was deactivated: their sessions and API keys stop working',
  'user.reactivate': 'a deactivated user was made active again',
  'user.rename': 'a user’s name was changed',
  'user.update': 'a user’s email or externalId was changed (SCIM)',
  'user.sign_in': 'a user signed in',
  'user.sign_out': 'a user signed out (their session ended)',
  'user.delete': 'a user was deleted (SCIM)',
  'apikey.create': 'an API key was created',
  'apikey.revoke': 'an API key was revoked',
  // Compliance
  'optout.import': 'opt-outs were imported from a CSV (counts: added, skipped)',
  'optout.add': 'an email or domain was added to the opt-out list',
  'optout.delete': 'an email or domain was removed from the opt-out list',
  'retention.update': 'the retention settings were changed',
  'retention.purge': 'the daily job deleted data past its retention (counts per data class)',
  'offboarding.export': 'everything was exported for offboarding (counts: files, rows)',
  'offboarding.disconnect': 'the integrations were disconnected for offboarding',
  'offboarding.salesforce_cleanup': 'the Salesforce clean-up package was written',
  'offboarding.step': 'a manual offboarding step (opt-outs, credits) was marked done',
  'salesforce.clear_fields':
    'the Signalfit fields were blanked in Salesforce before the package is removed (counts: rows cleared per object)',
  'offboarding.delete': 'every row and secret was deleted (the deletion certificate names them)',
  // Outbound pushes
  'outreach.enroll': 'people were sent to an Outreach sequence (counts: sent, refused)',
  'salesforce.writeback': 'scores and segments were written back to Salesforce (counts: rows sent, failed)',
  'salesforce.campaign_push':
    'an orchestration pushed people to a Salesforce campaign (counts: leads, contacts created, members)',
  'salesforce.campaign_remove':
    'an orchestration removed the people who left its segment from its Salesforce campaign (counts: removed, failed)',
  'provider.purchase': 'people were bought from a contact provider (counts: people, credits)',
  'slack.message':
    'messages were sent to Slack: a run’s alerts and digests, a failed orchestration run’s alert, a model notice',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTIONS;

export function isAuditAction(value: string): value is AuditAction {
  return Object.hasOwn(AUDIT_ACTIONS, value);
}
