import { connectSalesforce, type SalesforceSettings } from '../../integrations/salesforce/client';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { connectThroughStandIn, startOutreachStandIn } from '../../../test/outreachStandIn/testing';
import type { SalesforceStandIn, SfRecord } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { OutreachConnections } from '../outreach/connections';
import { findOrchestration } from './orchestrationRecords';
import type { RunDeps } from './runContext';
import { runDetail } from './runHistory';
import { runNow } from './runOrchestration';
import { insertOrchestration, NOW } from './runTesting';

// The real jsforce against the Salesforce stand-in, and the Outreach client against its stand-in.
jest.setTimeout(60_000);

const AUDIENCE = { personas: ['Security'], grades: ['A', 'B'] };

/**
 * The audience market: x1 Initech and x2 Hooli in the segment "Software", x3 in Retail. People
 * (persona, grade): k1 Contact (Security, A) and k2 Lead (Security, B) at x1; k3 (Security, D)
 * at x1; k4 opted out (Security, A) and k7 (Finance, A) at x2; k6 (Security, A) at x3. The
 * Salesforce ones are inserted in `org` first, and the store's person ids are theirs.
 */
async function seedAudience(
  db: Db,
  org: SalesforceStandIn | null,
): Promise<{ segmentId: number; ids: Record<string, string> }> {
  const ids: Record<string, string> = {};
  await db.exec(`
    INSERT INTO score_runs (as_of, status, model_version) VALUES ('2026-11-19', 'complete', 't');
    INSERT INTO accounts (id, name, domain, industry) VALUES
      ('x1', 'Initech', 'initech.com', 'Software'),
      ('x2', 'Hooli', 'hooli.com', 'Software'),
      ('x3', 'Shop', 'shop.com', 'Retail');`);
  const people: [string, string, 'Contact' | 'Lead', string, string, boolean][] = [
    ['k1', 'x1', 'Contact', 'Security', 'A', false],
    ['k2', 'x1', 'Lead', 'Security', 'B', false],
    ['k3', 'x1', 'Contact', 'Security', 'D', false],
    ['k4', 'x2', 'Contact', 'Security', 'A', true],
    ['k7', 'x2', 'Contact', 'Finance', 'A', false],
    ['k6', 'x3', 'Contact', 'Security', 'A', false],
  ];
  for (const [key, account, sobject, persona, grade, optedOut] of people) {
    ids[key] = await addPerson(db, org, { key, account, sobject, persona, grade, optedOut });
  }
  const [segment] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition, version) VALUES ('Software', 'filter', $1::jsonb, 1) RETURNING id`,
    [JSON.stringify({ field: 'industry', op: 'eq', value: 'Software' })],
  );
  return { segmentId: Number(segment!.id), ids };
}

/** A person of the store (and of the org, when given) with a score in the current run. */
async function addPerson(
  db: Db,
  org: SalesforceStandIn | null,
  p: {
    key: string;
    account: string;
    sobject: 'Contact' | 'Lead';
    persona: string;
    grade: string;
    optedOut?: boolean;
  },
): Promise<string> {
  const email = `${p.key}@${p.account}.test`;
  const id = org
    ? org.insert(p.sobject, {
        Email: email,
        LastName: p.key.toUpperCase(),
        ...(p.sobject === 'Lead' ? { Company: p.account } : {}),
      })
    : p.key;
  await db.run(
    `INSERT INTO contacts (id, account_id, email, kind, opted_out, first_name, last_name, title)
     VALUES ($1, $2, $3, $4, $5, 'Pat', $6, 'Head of Security')`,
    [id, p.account, email, p.sobject.toLowerCase(), p.optedOut ?? false, p.key.toUpperCase()],
  );
  if (org) await db.run(`INSERT INTO salesforce_records (id, sobject) VALUES ($1, $2)`, [id, p.sobject]);
  await db.run(
    `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade, persona)
     SELECT id, $1, $2, 50, $3, $4 FROM score_runs`,
    [id, p.account, p.grade, p.persona],
  );
  return id;
}

async function outcomesOf(db: Db, name: string, runId: number) {
  const { records } = await runDetail({
    db,
    orchestration: await findOrchestration(db, name),
    runId,
    actor: OPERATOR,
  });
  return records
    .map((r) => [r.person_id, r.outcome, r.reason])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])));
}

describe.each(testStoreTargets())('add to audience to a Salesforce campaign on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let org: SalesforceStandIn;
  let settings: SalesforceSettings;
  let campaign: string;
  let ids: Record<string, string>;
  let deps: RunDeps;

  beforeAll(async () => {
    ({ standIn: org, settings } = await startStandIn());
    campaign = org.insert('Campaign', { Name: 'Security leaders', Type: 'Email' });
    const seeded = await seedAudience(db, org);
    ids = seeded.ids;
    await insertOrchestration(db, {
      name: 'To campaign',
      goal: 'add_to_audience',
      segmentId: seeded.segmentId,
      providerId: null,
      target: { type: 'salesforce_campaign', campaignId: campaign, create: 'contact' },
      filters: {},
      audience: { ...AUDIENCE, removeLeavers: true },
    });
    deps = { db, now: () => NOW, salesforce: () => connectSalesforce(settings), pollIntervalMs: 5 };
  });
  afterAll(() => org.close());

  const run = async () =>
    runNow(deps, {
      orchestration: await findOrchestration(db, 'To campaign'),
      trigger: 'manual',
      actor: OPERATOR,
    });
  const members = (): SfRecord[] =>
    [...(org.records.get('CampaignMember')?.values() ?? [])].filter(
      (m) => m.IsDeleted !== true && m.CampaignId === campaign,
    );
  const memberPeople = () =>
    members()
      .map((m) => String(m.ContactId || m.LeadId))
      .sort();
  const audienceRows = () =>
    db.query<{ person_id: string; removed: boolean }>(
      `SELECT person_id, removed_at IS NOT NULL AS removed FROM orchestration_audience ORDER BY person_id`,
    );

  it('adds the filtered people of the segment as campaign members, the opted-out one skipped', async () => {
    const first = await run();
    expect(first).toMatchObject({
      state: 'complete',
      counts: { pushed: 2, skipped: 1, failed: 0 },
      message: null,
    });
    expect(await outcomesOf(db, 'To campaign', first.id)).toEqual(
      [
        [ids.k1, 'pushed', null],
        [ids.k2, 'pushed', null],
        [ids.k4, 'skipped', 'opted_out'],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(memberPeople()).toEqual([ids.k1, ids.k2].sort());
    // Existing people join the campaign; nobody is created.
    expect(org.uploadedRows().map((u) => u.object)).toEqual(['CampaignMember']);
  });

  it('pushes only the person new to the segment the second time', async () => {
    const uploads = org.uploadedRows().length;
    const k8 = await addPerson(db, org, {
      key: 'k8',
      account: 'x2',
      sobject: 'Contact',
      persona: 'Security',
      grade: 'A',
    });
    const second = await run();
    expect(second).toMatchObject({ state: 'complete', counts: { pushed: 1, skipped: 1, failed: 0 } });
    expect((await outcomesOf(db, 'To campaign', second.id)).filter((r) => r[1] === 'pushed')).toEqual([
      [k8, 'pushed', null],
    ]);
    const sent = org.uploadedRows().slice(uploads);
    expect(sent.map((u) => u.rows.map((r) => r.ContactId || r.LeadId))).toEqual([[k8]]);
    expect(memberPeople()).toEqual([ids.k1, ids.k2, k8].sort());
    // The opted-out person was never sent.
    expect(
      org
        .uploadedRows()
        .flatMap((u) => u.rows)
        .some((r) => r.ContactId === ids.k4),
    ).toBe(false);
  });

  it('removes from the campaign the people whose account left the segment', async () => {
    await db.run(`UPDATE accounts SET industry = 'Retail' WHERE id = 'x1'`);
    const third = await run();
    expect(third).toMatchObject({ state: 'complete', counts: { pushed: 0 } });
    expect(third.message).toBe('removed 2 people who left the segment from the campaign');
    expect(memberPeople()).toHaveLength(1);
    const removed = (await audienceRows()).filter((r) => r.removed).map((r) => r.person_id);
    expect(removed).toEqual([ids.k1, ids.k2].sort());

    // A later leaver goes the same way; the ones removed before are not asked again.
    await db.run(`UPDATE accounts SET industry = 'Retail' WHERE id = 'x2'`);
    const fourth = await run();
    expect(fourth.message).toBe('removed 1 person who left the segment from the campaign');
    expect(members()).toEqual([]);
    expect((await audienceRows()).every((r) => r.removed)).toBe(true);
  });
});

describe.each(testStoreTargets())('add to audience to an Outreach sequence on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let outreach: OutreachStandIn;
  let connections: OutreachConnections;
  let owner: string;
  let sequenceId: string;
  let ids: Record<string, string>;
  let deps: RunDeps;

  beforeAll(async () => {
    let config;
    ({ standIn: outreach, config } = await startOutreachStandIn({ now: () => NOW }));
    connections = new OutreachConnections({ db, config, now: () => NOW });
    owner = outreach.addUser('owner@example.com');
    const mailboxId = outreach.addMailbox('owner@example.com', owner);
    sequenceId = outreach.addSequence('Security leaders');
    const seeded = await seedAudience(db, null);
    ids = seeded.ids;
    await insertOrchestration(db, {
      name: 'To sequence',
      goal: 'add_to_audience',
      segmentId: seeded.segmentId,
      providerId: null,
      target: { type: 'outreach_sequence', sequenceId, mailboxId },
      filters: {},
      audience: AUDIENCE,
      ownerUserId: owner,
    });
    deps = { db, now: () => NOW, outreach: connections };
  });
  afterAll(async () => {
    await outreach.close();
  });

  const run = async (trigger: 'manual' | 'repush' = 'manual') =>
    runNow(deps, { orchestration: await findOrchestration(db, 'To sequence'), trigger, actor: OPERATOR });
  const enrolled = (key: string) => {
    const [prospect] = outreach.prospectsWithEmail(`${key}@${key === 'k8' ? 'x2' : 'x1'}.test`);
    return prospect ? outreach.statesOf(String(prospect.id)).length : 0;
  };

  it('fails each person while the owner has not connected Outreach; a re-push after connecting enrolls them, the one opted out since skipped', async () => {
    const first = await run();
    expect(first).toMatchObject({ state: 'complete', counts: { pushed: 0, skipped: 1, failed: 2 } });
    expect(outreach.prospectsWithEmail('k1@x1.test')).toEqual([]);

    await connectThroughStandIn(connections, outreach, { orgId: 'o', userId: owner }, 3_600_000);
    await db.run(`UPDATE contacts SET opted_out = true WHERE id = $1`, [ids.k2]);
    const repush = await run('repush');
    expect(repush).toMatchObject({
      state: 'complete',
      trigger: 'repush',
      counts: { pushed: 1, skipped: 1, failed: 0 },
    });
    expect(await outcomesOf(db, 'To sequence', repush.id)).toEqual([
      ['k1', 'pushed', null],
      ['k2', 'skipped', 'opted_out'],
    ]);
    expect(enrolled('k1')).toBe(1);
    expect(outreach.prospectsWithEmail('k2@x1.test')).toEqual([]);
  });

  it('enrolls only the person new to the segment the next time, and never twice', async () => {
    await db.run(`UPDATE contacts SET opted_out = false WHERE id = $1`, [ids.k2]);
    await addPerson(db, null, {
      key: 'k8',
      account: 'x2',
      sobject: 'Contact',
      persona: 'Security',
      grade: 'B',
    });
    const next = await run();
    expect((await outcomesOf(db, 'To sequence', next.id)).filter((r) => r[1] === 'pushed')).toEqual([
      ['k2', 'pushed', null],
      ['k8', 'pushed', null],
    ]);
    const again = await run();
    expect(again.counts).toMatchObject({ pushed: 0, failed: 0 });
    expect([enrolled('k1'), enrolled('k2'), enrolled('k8')]).toEqual([1, 1, 1]);
    expect(outreach.prospectsWithEmail('k4@x2.test')).toEqual([]);
  });
});
