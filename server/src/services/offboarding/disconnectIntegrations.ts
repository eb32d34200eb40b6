import { authorize, actorLabel, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { recordAudit } from '../audit/recordAudit';
import { updateOffboardingState } from './offboardingState';

export interface DisconnectReport {
  /** Rows deleted or changed per kind of connection. */
  counts: {
    outreachTokens: number;
    outreachPendingConnects: number;
    salesforceCheckpoints: number;
    alertWebhooks: number;
    providerTokens: number;
  };
  /** What was done, one sentence each, for people. */
  done: string[];
}

/**
 * Disconnects every integration (docs/offboarding.md "Disconnect"): deletes the stored Outreach
 * tokens (Outreach documents no endpoint that revokes a token, see below), stops the Salesforce
 * sync and write-back for good and clears their checkpoints, removes the alert subscriptions that
 * post to a Slack webhook, and removes the providers' stored tokens. Running it again finds
 * nothing left and changes nothing. One transaction, audited as `offboarding.disconnect`.
 */
export async function disconnectIntegrations(props: {
  db: Db;
  actor: Actor;
  now?: Date;
}): Promise<DisconnectReport> {
  authorize(props.actor, 'offboarding.manage', 'disconnecting integrations');
  const now = props.now ?? new Date();
  return props.db.transaction(async (tx) => {
    // Outreach's API contract has no token revocation endpoint: a token nobody holds any more
    // is the revocation we can make (an access token lapses within two hours; the refresh token
    // is unusable without this service's client secret).
    const outreachTokens = await tx.run('DELETE FROM outreach_connections');
    const outreachPendingConnects =
      (await tx.run('DELETE FROM outreach_connect_tickets')) +
      (await tx.run('DELETE FROM outreach_oauth_states'));
    const salesforceCheckpoints = await tx.run('DELETE FROM salesforce_sync_checkpoints');
    const alertWebhooks = await tx.run('DELETE FROM alert_subscriptions WHERE webhook_sealed IS NOT NULL');
    const providerTokens = await tx.run(
      `UPDATE contact_providers SET settings = settings - 'token' WHERE settings ? 'token'`,
    );
    const counts = {
      outreachTokens,
      outreachPendingConnects,
      salesforceCheckpoints,
      alertWebhooks,
      providerTokens,
    };
    const done = [
      `Outreach: deleted ${outreachTokens} stored connections (access and refresh tokens) and ${outreachPendingConnects} connects under way; Outreach documents no revocation endpoint, so the tokens were deleted here (remove the app in Outreach's settings too)`,
      `Salesforce: sync and write-back stopped (the daily job and signalfit sync|writeback salesforce skip them), ${salesforceCheckpoints} sync checkpoints cleared`,
      `Alerts: removed ${alertWebhooks} subscriptions that posted to a Slack webhook`,
      `Providers: removed the stored token of ${providerTokens} HTTP providers`,
    ];
    await updateOffboardingState(tx, {
      salesforceStopped: true,
      disconnect: { at: now.toISOString(), by: actorLabel(props.actor), counts },
    });
    await recordAudit(
      tx,
      props.actor,
      {
        action: 'offboarding.disconnect',
        targetType: 'integrations',
        summary: 'disconnected Outreach, Salesforce, alert webhooks and providers',
        counts,
      },
      now,
    );
    return { counts, done };
  });
}
