/**
 * acquire_contacts runs to an Outreach sequence through the engine, as the orchestration's owner
 * (their stored Outreach connection), against the Outreach stand-in: each bought person created
 * as a prospect and enrolled once; a rerun creates nothing; an owner without a connection fails
 * the records with a message that says what to do.
 */
import type { OutreachConfig } from '../../integrations/outreach/env';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { ALL_SCOPES, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import { setCredits } from '../credits/credits';
import { OutreachConnections } from '../outreach/connections';
import { findOrchestration } from './orchestrationRecords';
import type { RunDeps } from './runContext';
import { runDetail } from './runHistory';
import { runNow } from './runOrchestration';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  seedEarlierPurchase,
  seedRunMarket,
} from './runTesting';

jest.setTimeout(60_000);

const ORG = '00D000000000001AAA';
const OWNER = '005000000000009AAA';
const BOUGHT = ['p06', 'p07', 'p09'];
const emailOf = (providerId: string) => MARKET_ROWS.find((r) => r.providerId === providerId)!.email!;

describe.each(testStoreTargets())('acquire runs to an Outreach sequence on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: OutreachStandIn;
  let config: OutreachConfig;
  let sequenceId: string;
  let mailboxId: string;
  let segmentId: number;
  let providerId: number;
  let deps: RunDeps;
  let provider: MemoryProvider;

  beforeAll(async () => {
    ({ standIn, config } = await startOutreachStandIn({ now: () => NOW }));
    const outreachUser = standIn.addUser('owner@example.com');
    mailboxId = standIn.addMailbox('owner@example.com', outreachUser);
    sequenceId = standIn.addSequence('New buyers');
    ({ segmentId, providerId } = await seedRunMarket(db));
    await setCredits({ db, allowance: 100, actor: OPERATOR });
    // The owner's connection, as the connect flow stores it (now() is the real clock: the token must be fresh).
    const outreach = new OutreachConnections({ db, config, now: () => new Date() });
    const tokens = standIn.issueToken(outreachUser, ALL_SCOPES);
    await outreach.save(
      { orgId: ORG, userId: OWNER },
      { ...tokens, expiresAt: new Date(Date.now() + 7200_000), scope: ALL_SCOPES.join(' ') },
      { id: outreachUser, email: 'owner@example.com' },
    );
    provider = new MemoryProvider(MARKET_ROWS);
    deps = { db, now: () => NOW, openProvider: async () => provider, outreach };
  });
  afterAll(async () => {
    await standIn?.close();
  });

  const records = async (name: string, runId: number) =>
    (
      await runDetail({ db, orchestration: await findOrchestration(db, name), runId, actor: OPERATOR })
    ).records
      .filter((r) => r.outcome !== 'skipped')
      .sort((a, b) => String(a.provider_id).localeCompare(String(b.provider_id)));

  it('creates each bought person as a prospect as the owner and enrolls them once; a rerun creates no second prospect', async () => {
    const id = await insertOrchestration(db, {
      name: 'To Outreach',
      segmentId,
      providerId,
      target: { type: 'outreach_sequence', sequenceId, mailboxId },
      ownerUserId: OWNER,
    });
    await seedEarlierPurchase(db, providerId, id);
    const orchestration = await findOrchestration(db, 'To Outreach');
    const run = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });

    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 3, pushed: 3, failed: 0 } });
    const got = await records('To Outreach', run.id);
    expect(got.map((r) => [r.provider_id, r.outcome, r.target_id])).toEqual(
      BOUGHT.map((p) => [p, 'pushed', String(standIn.prospectsWithEmail(emailOf(p))[0]?.id)]),
    );
    for (const p of BOUGHT) {
      const prospects = standIn.prospectsWithEmail(emailOf(p));
      expect(prospects).toHaveLength(1);
      expect(standIn.statesOf(String(prospects[0]!.id))).toHaveLength(1);
    }
    const prospectsCreated = standIn.count('POST', '/api/v2/prospects');
    const statesCreated = standIn.count('POST', '/api/v2/sequenceStates');

    const again = await runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });
    expect(again).toMatchObject({ state: 'complete', counts: { purchased: 0, pushed: 0, failed: 0 } });
    // A re-push of everything the orchestration pushed finds nothing open either.
    const repush = await runNow(deps, { orchestration, trigger: 'repush', actor: OPERATOR });
    expect(repush.counts).toEqual({ purchased: 0, pushed: 0, skipped: 0, failed: 0 });
    expect(standIn.count('POST', '/api/v2/prospects')).toBe(prospectsCreated);
    expect(standIn.count('POST', '/api/v2/sequenceStates')).toBe(statesCreated);
    for (const p of BOUGHT) expect(standIn.prospectsWithEmail(emailOf(p))).toHaveLength(1);
  });

  it('an owner without an Outreach connection: the bought people are failed with what to do, and stay for a re-push', async () => {
    await db.exec(`DELETE FROM orchestration_records; DELETE FROM credit_ledger; DELETE FROM contact_purchases;
      DELETE FROM orchestration_runs; DELETE FROM orchestrations;`);
    const prospectsBefore = standIn.count('POST', '/api/v2/prospects');
    const id = await insertOrchestration(db, {
      name: 'Unconnected',
      segmentId,
      providerId,
      target: { type: 'outreach_sequence', sequenceId, mailboxId },
      ownerUserId: '005000000000077AAA',
    });
    await seedEarlierPurchase(db, providerId, id);
    const run = await runNow(deps, {
      orchestration: await findOrchestration(db, 'Unconnected'),
      trigger: 'manual',
      actor: OPERATOR,
    });

    expect(run).toMatchObject({ state: 'complete', counts: { purchased: 3, pushed: 0, failed: 3 } });
    expect((await records('Unconnected', run.id)).map((r) => [r.provider_id, r.outcome, r.error])).toEqual(
      BOUGHT.map((p) => [
        p,
        'failed',
        'the owner ops@example.com has not connected Outreach: connect it in the app, or give the orchestration an owner who has',
      ]),
    );
    expect(standIn.count('POST', '/api/v2/prospects')).toBe(prospectsBefore);
  });
});
