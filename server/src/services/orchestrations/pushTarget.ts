import { isSalesforceId } from '../../domain/salesforceId';
import { AppError } from '../../errors';
import type { Db } from '../../store/db';
import type { OutreachUserKey } from '../outreach/connections';
import { optedOutAddresses, optOutReason } from '../outbound/optOuts';
import { pushToOutreach } from './outreachPush';
import type { PushOutcome, PushPerson } from './push';
import type { RunContext } from './runContext';
import { pushToSalesforce } from './salesforcePush';

/**
 * Sends people to the orchestration's target and answers how each ended, by key. The target's
 * own push is idempotent by key (a rerun or re-push creates nothing twice) and checks opt-outs at
 * the moment of sending; the CSV target (a download of the run's records) checks them here.
 * Throws when the target cannot be reached at all (the run fails, its people stay
 * purchased-not-pushed for a re-push); one person's refusal is that person's outcome.
 */
export async function pushToTarget(ctx: RunContext, people: PushPerson[]): Promise<Map<string, PushOutcome>> {
  const outcomes = new Map<string, PushOutcome>();
  if (people.length === 0) return outcomes;
  const { deps, orchestration } = ctx;
  const { target } = orchestration;
  let answers: PushOutcome[];
  if (target.type === 'csv') {
    const optedOut = await optedOutAddresses(
      deps.db,
      people.map((p) => p.email),
    );
    answers = people.map((person): PushOutcome => {
      const optOut = optedOut.get(person.email.trim().toLowerCase());
      return optOut
        ? { key: person.key, ok: false, reason: 'opted_out', error: optOutReason(optOut) }
        : { key: person.key, ok: true, targetId: '', memberId: null };
    });
  } else if (target.type === 'salesforce_campaign') {
    if (!deps.salesforce) {
      throw new AppError(
        'salesforce_unavailable',
        'Salesforce is not configured: set SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY (docs/salesforce-sync.md)',
      );
    }
    const client = await deps.salesforce();
    answers = await pushToSalesforce({
      db: deps.db,
      client,
      scope: `orchestration:${orchestration.id}`,
      campaignId: target.campaignId,
      create: target.create,
      people,
      pollIntervalMs: deps.pollIntervalMs,
      now: deps.now,
      actor: ctx.actor,
      audit: runAudit(ctx),
    });
  } else {
    if (!deps.outreach) {
      throw new AppError(
        'outreach_not_configured',
        'Outreach is not configured: set OUTREACH_* (docs/outreach.md)',
      );
    }
    const owner = await ownerConnection(deps.db, orchestration.ownerUserId);
    if (!owner) {
      const error = `the owner ${orchestration.owner ?? orchestration.ownerUserId ?? '(none)'} has not connected Outreach: connect it in the app, or give the orchestration an owner who has`;
      answers = people.map((p) => ({ key: p.key, ok: false, reason: 'failed', error }));
    } else {
      answers = await pushToOutreach({
        db: deps.db,
        client: deps.outreach.client(owner),
        sequenceId: target.sequenceId,
        mailboxId: target.mailboxId,
        people,
        actor: ctx.actor,
        audit: runAudit(ctx),
        now: deps.now,
      });
    }
  }
  for (const answer of answers) outcomes.set(answer.key, answer);
  return outcomes;
}

/** How a push of this run names its target in the audit log. */
function runAudit(ctx: RunContext): { targetType: string; targetId: string; label: string } {
  return {
    targetType: 'orchestration_run',
    targetId: String(ctx.runId),
    label: `for run ${ctx.runId} of orchestration "${ctx.orchestration.name}"`,
  };
}

/**
 * The Outreach connection of the orchestration's owner: owner_user_id is the Signalfit user
 * (`<orgId>/<userId>` as the connections key it, or the user id alone when one org holds it).
 */
async function ownerConnection(db: Db, ownerUserId: string | null): Promise<OutreachUserKey | null> {
  if (!ownerUserId) return null;
  const slash = ownerUserId.indexOf('/');
  const [row] =
    slash > 0
      ? await db.query<{ org_id: string; user_id: string }>(
          'SELECT org_id, user_id FROM outreach_connections WHERE org_id = $1 AND user_id = $2',
          [ownerUserId.slice(0, slash), ownerUserId.slice(slash + 1)],
        )
      : await db.query<{ org_id: string; user_id: string }>(
          'SELECT org_id, user_id FROM outreach_connections WHERE user_id = $1 ORDER BY org_id LIMIT 1',
          [ownerUserId],
        );
  return row ? { orgId: row.org_id, userId: row.user_id } : null;
}

export interface AccountFacts {
  name: string | null;
  salesforceId: string | null;
}

/**
 * Names and Salesforce ids of accounts (Lead.Company, Contact.AccountId): an account synced from
 * Salesforce, or imported with a Salesforce Account id.
 */
export async function accountFacts(
  db: Db,
  accountIds: readonly (string | null)[],
): Promise<Map<string, AccountFacts>> {
  const ids = [...new Set(accountIds.filter((id): id is string => id !== null))];
  if (ids.length === 0) return new Map();
  const rows = await db.query<{ id: string; name: string | null; synced: boolean }>(
    `SELECT a.id, a.name, (r.id IS NOT NULL) AS synced
       FROM accounts a LEFT JOIN salesforce_records r ON r.id = a.id AND r.sobject = 'Account'
      WHERE a.id = ANY($1::text[])`,
    [ids],
  );
  return new Map(
    rows.map((row) => [
      row.id,
      {
        name: row.name,
        salesforceId: row.synced || (isSalesforceId(row.id) && row.id.startsWith('001')) ? row.id : null,
      },
    ]),
  );
}
