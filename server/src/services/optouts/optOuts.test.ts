/**
 * The central opt-out list (docs/opt-outs.md): normalization, the choke point's merge of the
 * people's flag with the list's addresses and domains, the CSV import and export, the report
 * and its weekly delivery, on both stores.
 */
import { SlackStandIn } from '../../../test/slackStandIn/standIn';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { addressOptedOutSql, optedOutAddresses, optOutReason } from '../outbound/optOuts';
import { exportOptOuts } from './exportOptOuts';
import { importOptOuts } from './importOptOuts';
import { addOptOut, listOptOuts, removeOptOut } from './optOutList';
import { optOutReport } from './optOutReport';
import { optOutDomain, optOutEmail, optOutValue } from './optOutValue';
import { deliverWeeklyOptOutReport, reportedWeek } from './weeklyOptOutReport';

jest.setTimeout(60_000);

const T0 = new Date('2026-11-16T09:00:00Z'); // a Monday
const DAY = 86_400_000;
const MARKETING: Actor = { userId: 'u-m', email: 'mia@example.com', role: 'Marketing', kind: 'user' };
const OPS: Actor = { userId: 'u-o', email: 'ops@example.com', role: 'Operations', kind: 'user' };

describe('opt-out values', () => {
  it('normalizes addresses and domains, and says why a value cannot be one', () => {
    expect(optOutDomain('https://www.Example.com/x')).toEqual({ kind: 'domain', value: 'example.com' });
    expect(optOutDomain(' Mail.Example.COM. ')).toEqual({ kind: 'domain', value: 'mail.example.com' });
    expect(optOutEmail('  Jo.Doe@ACME.example ')).toEqual({ kind: 'email', value: 'jo.doe@acme.example' });
    expect(optOutValue('jo@acme.com')).toEqual({ kind: 'email', value: 'jo@acme.com' });
    expect(optOutValue('acme.com')).toEqual({ kind: 'domain', value: 'acme.com' });
    expect(optOutEmail('')).toEqual({ reason: 'empty' });
    expect(optOutDomain('  ')).toEqual({ reason: 'empty' });
    for (const bad of ['jo', 'jo@', 'jo@localhost', 'a b@x.com', 'a@b@c.com', 'jo@x.com,kim@y.com'])
      expect([bad, optOutEmail(bad)]).toEqual([bad, { reason: 'malformed email' }]);
    for (const bad of ['localhost', 'jo@acme.com', 'bad domain!', 'http://'])
      expect([bad, optOutDomain(bad)]).toEqual([bad, { reason: 'malformed domain' }]);
  });
});

describe.each(testStoreTargets())('the opt-out list on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await db.exec(`
      INSERT INTO accounts (id, name, domain) VALUES ('a1', 'Acme', 'acme.com');
      INSERT INTO contacts (id, account_id, email, kind, opted_out) VALUES
        ('c1', 'a1', 'Jo@Acme.com', 'contact', false),
        ('l1', 'a1', ' jo@acme.com ', 'lead', true),
        ('l0', 'a1', 'JO@acme.com', 'lead', true),
        ('c2', 'a1', 'kim@beta.io', 'contact', false),
        ('c3', 'a1', 'sam@Mail.Gamma.com', 'contact', false),
        ('c4', 'a1', 'ok@acme.com', 'contact', false),
        ('c5', 'a1', 'lee@gamma.com.au', 'contact', false);
    `);
    await addOptOut({ db, actor: OPS, target: { email: ' KIM@beta.io' }, reason: 'asked by phone', now: T0 });
    await addOptOut({ db, actor: OPS, target: { domain: 'https://www.Gamma.com/contact' }, now: T0 });
  });

  it('merges the rules: a record, the list by address, the list by domain and its subdomains; one statement', async () => {
    let statements = 0;
    const counting: Db = { ...db, query: (sql, params) => (statements++, db.query(sql, params)) };
    const found = await optedOutAddresses(counting, [
      'jo@acme.com',
      'Kim@Beta.io',
      'sam@mail.gamma.com',
      'boss@gamma.com',
      'lee@gamma.com.au',
      'ok@acme.com',
      'x@notgamma.com',
      'nobody',
    ]);
    expect(statements).toBe(1);
    expect(Object.fromEntries([...found].map(([a, o]) => [a, [o.rule, optOutReason(o)]]))).toEqual({
      'jo@acme.com': ['lead', 'the address jo@acme.com is opted out on lead l0'],
      'kim@beta.io': ['list_email', 'the address kim@beta.io is on the opt-out list'],
      'sam@mail.gamma.com': [
        'list_domain',
        'the address sam@mail.gamma.com is in gamma.com, a domain on the opt-out list',
      ],
      'boss@gamma.com': [
        'list_domain',
        'the address boss@gamma.com is in gamma.com, a domain on the opt-out list',
      ],
    });
    // A record's flag comes first when the list holds the address too.
    await addOptOut({ db, actor: OPS, target: { email: 'jo@acme.com' }, now: T0 });
    expect((await optedOutAddresses(db, ['jo@acme.com'])).get('jo@acme.com')?.rule).toBe('lead');
    await removeOptOut({ db, actor: OPS, target: { email: 'jo@acme.com' } });
  });

  it('answers the same in SQL, for the views and the audiences', async () => {
    const rows = await db.query<{ id: string; opted_out: boolean }>(
      `SELECT c.id, ${addressOptedOutSql('c.email')} AS opted_out FROM contacts c ORDER BY c.id`,
    );
    expect(Object.fromEntries(rows.map((r) => [r.id, r.opted_out]))).toEqual({
      c1: true,
      c2: true,
      c3: true,
      c4: false,
      c5: false,
      l0: true,
      l1: true,
    });
  });

  it('adds once, lists with a search, removes, and records each change in the audit log', async () => {
    const again = await addOptOut({ db, actor: OPS, target: { email: 'kim@beta.io' }, now: T0 });
    expect(again).toEqual({
      added: false,
      entry: {
        kind: 'email',
        value: 'kim@beta.io',
        source: 'manual',
        reason: 'asked by phone',
        createdAt: T0.toISOString(),
        createdBy: 'ops@example.com',
      },
    });
    expect(await listOptOuts({ db, actor: OPS, q: 'GAMMA' })).toMatchObject({
      total: 1,
      entries: [{ kind: 'domain', value: 'gamma.com' }],
    });
    await expect(listOptOuts({ db, actor: MARKETING })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(addOptOut({ db, actor: OPS, target: { domain: 'nope' } })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'malformed domain: "nope"',
    });
    await expect(removeOptOut({ db, actor: OPS, target: { domain: 'acme.com' } })).rejects.toMatchObject({
      code: 'not_found',
    });
    const audit = await db.query<{ action: string; target_id: string; actor: string }>(
      `SELECT action, target_id, actor FROM audit_log WHERE action LIKE 'optout.%' ORDER BY id`,
    );
    expect(audit.map((a) => `${a.action} ${a.target_id} ${a.actor}`)).toEqual([
      'optout.add kim@beta.io ops@example.com',
      'optout.add gamma.com ops@example.com',
      'optout.add jo@acme.com ops@example.com',
      'optout.delete jo@acme.com ops@example.com',
    ]);
  });

  it('imports a CSV: bad rows reported with line and reason, good rows kept, nothing twice', async () => {
    const csv = [
      'Email,DOMAIN,Reason',
      'a@x.com,,bounced',
      'not-an-email,,',
      ',https://www.Example.com/x,',
      ',,',
      'A@X.com,,',
      'b@y.com,bad domain!,',
      'kim@beta.io,,',
      ',mail.example.com,',
    ].join('\r\n');
    const result = await importOptOuts({ db, actor: OPS, csv, now: new Date(T0.getTime() + DAY) });
    expect(result).toEqual({
      rows: 8,
      added: 4,
      already: 2,
      bad: 3,
      badRows: [
        { line: 3, value: 'not-an-email,,', reason: 'malformed email' },
        { line: 5, value: ',,', reason: 'empty' },
        { line: 7, value: 'b@y.com,bad domain!,', reason: 'malformed domain' },
      ],
    });
    const again = await importOptOuts({ db, actor: OPS, csv });
    expect(again).toMatchObject({ added: 0, already: 6, bad: 3 });
    const [audit] = await db.query<{ counts: unknown }>(
      `SELECT counts FROM audit_log WHERE action = 'optout.import' ORDER BY id LIMIT 1`,
    );
    expect(audit!.counts).toEqual({ rows: 8, added: 4, already: 2, bad: 3 });
    await expect(importOptOuts({ db, actor: OPS, csv: 'name\nx' })).rejects.toMatchObject({
      code: 'bad_request',
    });
    await expect(importOptOuts({ db, actor: MARKETING, csv })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('exports a file that imports back unchanged', async () => {
    await addOptOut({ db, actor: OPS, target: { email: '=cmd@evil.com' }, reason: '+sum(1)', now: T0 });
    const { csv, entries } = await exportOptOuts({ db, actor: OPS });
    expect(entries).toBe(7);
    expect(csv.split('\n').slice(0, 3)).toEqual([
      'email,domain,source,reason,created_at,created_by',
      `"'=cmd@evil.com",,manual,"'+sum(1)",2026-11-16T09:00:00.000Z,ops@example.com`,
      'a@x.com,,import,bounced,2026-11-17T09:00:00.000Z,ops@example.com',
    ]);
    const before = (await listOptOuts({ db, actor: OPS })).entries.map(({ kind, value, source, reason }) => ({
      kind,
      value,
      source,
      reason,
    }));
    await db.exec('DELETE FROM opt_outs');
    expect(await importOptOuts({ db, actor: OPS, csv })).toMatchObject({
      rows: 7,
      added: 7,
      already: 0,
      bad: 0,
    });
    const after = (await listOptOuts({ db, actor: OPS })).entries.map(({ kind, value, source, reason }) => ({
      kind,
      value,
      source,
      reason,
    }));
    const order = (list: typeof before) =>
      [...list].sort((x, y) => `${x.kind}${x.value}`.localeCompare(`${y.kind}${y.value}`));
    expect(order(after)).toEqual(order(before));
  });
});

describe.each(testStoreTargets())('the opt-out report on $name', (target) => {
  let db: Db;
  let slack: SlackStandIn;
  useTestStore(target, (opened) => (db = opened));
  const week = reportedWeek(new Date(T0.getTime() + 7 * DAY + 3600_000)); // the week of T0

  beforeAll(async () => {
    slack = await new SlackStandIn({ minIntervalMs: 0 }).start();
    await db.exec(`
      INSERT INTO accounts (id, name, domain) VALUES ('a1', 'Acme', 'acme.com');
      INSERT INTO contacts (id, account_id, email, kind, opted_out) VALUES
        ('c1', 'a1', 'jo@acme.com', 'contact', false),
        ('l1', 'a1', 'jo@acme.com', 'lead', false),
        ('c2', 'a1', 'kim@beta.io', 'contact', false),
        ('c4', 'a1', 'ok@acme.com', 'contact', false),
        ('l9', 'a1', 'old@acme.com', 'lead', true);
      INSERT INTO contact_providers (id, name, type, settings) VALUES (7, 'Vendor', 'csv', '{}');
      INSERT INTO contact_purchases (id, provider_id, provider_contact_id, email, account_id, contact, source_type, state,
             cost, idempotency_key, purchased_at)
      VALUES (31, 7, 'p1', 'sam@mail.gamma.com', 'a1', '{}', 'Orchestration', 'purchased', 1, 'k', '2026-11-01T00:00:00Z'),
             (32, 7, 'p2', 'fine@delta.com', 'a1', '{}', 'Orchestration', 'purchased', 1, 'k', '2026-11-01T00:00:00Z');
      INSERT INTO salesforce_created_people (key, sobject, record_id, created_at) VALUES
        ('purchase:31', 'Lead', '00Q000000000031AAA', '2026-11-02T00:00:00Z'),
        ('purchase:32', 'Lead', '00Q000000000032AAA', '2026-11-02T00:00:00Z');
      INSERT INTO salesforce_campaign_members (campaign_id, person_id, member_id, added_at, removed_at) VALUES
        ('701A', 'purchase:31', '00v1', '2026-11-02T00:00:00Z', NULL),
        ('701A', 'person:c2', '00v2', '2026-11-02T00:00:00Z', NULL),
        ('701B', 'person:c2', '00v3', '2026-11-02T00:00:00Z', '2026-11-03T00:00:00Z');
      INSERT INTO outreach_enrollment_attempts (org_id, user_id, person_id, sequence_id, mailbox_id, result, attempted_at)
      VALUES ('o', 'u', 'c1', '12', '1', 'enrolled', '2026-11-03T00:00:00Z'),
             ('o', 'u', 'c4', '12', '1', 'enrolled', '2026-11-03T00:00:00Z'),
             ('o', 'u', 'c2', '12', '1', 'person_opted_out', '2026-11-03T00:00:00Z');
    `);
    // An audience (add_to_audience) that pushed c2 and c4, and a run record that pushed jo@acme.com.
    await db.exec(`
      INSERT INTO segments (id, name, kind, definition, version) VALUES (5, 'All', 'filter', '{"field":"industry","op":"eq","value":"x"}', 1);
      INSERT INTO orchestrations (id, name, goal, segment_id, target) VALUES (8, 'Nurture', 'add_to_audience', 5, '{"type":"csv"}');
      INSERT INTO orchestration_audience (orchestration_id, person_id, target_id, pushed_at, removed_at) VALUES
        (8, 'c2', NULL, '2026-11-04T00:00:00Z', NULL),
        (8, 'c4', NULL, '2026-11-04T00:00:00Z', NULL);
      INSERT INTO orchestration_runs (id, orchestration_id, trigger, state) VALUES (9, 8, 'manual', 'complete');
      INSERT INTO orchestration_records (run_id, orchestration_id, account_id, person_id, email, outcome, target_id, updated_at)
      VALUES (9, 8, 'a1', 'c1', 'Jo@Acme.com', 'pushed', 'csv', '2026-11-04T00:00:00Z'),
             (9, 8, 'a1', 'c2', 'kim@beta.io', 'skipped', NULL, '2026-11-04T00:00:00Z');
    `);
    // The lead's flag reaches the store during the week (a sync), the old one before it.
    await db.run(`UPDATE contacts SET opted_out = true WHERE id = 'l1'`);
    await db.run(`UPDATE contacts SET opted_out_at = $1 WHERE id = 'l1'`, [new Date(T0.getTime() + DAY)]);
    await db.run(`UPDATE contacts SET opted_out_at = $1 WHERE id = 'l9'`, [new Date(T0.getTime() - DAY)]);
    await addOptOut({
      db,
      actor: OPS,
      target: { email: 'kim@beta.io' },
      now: new Date(T0.getTime() + 2 * DAY),
    });
    await addOptOut({
      db,
      actor: OPS,
      target: { domain: 'gamma.com' },
      now: new Date(T0.getTime() + 3 * DAY),
    });
    await addOptOut({
      db,
      actor: OPS,
      target: { domain: 'later.com' },
      now: new Date(T0.getTime() + 8 * DAY),
    });
  });
  afterAll(() => slack?.close());

  it('sets the flag time when opted_out turns true and clears it when it turns false', async () => {
    await db.exec(
      `INSERT INTO contacts (id, account_id, email, opted_out) VALUES ('t1', 'a1', 't@acme.com', false)`,
    );
    const at = async () =>
      (await db.query<{ opted_out_at: Date | null }>(`SELECT opted_out_at FROM contacts WHERE id = 't1'`))[0]!
        .opted_out_at;
    expect(await at()).toBeNull();
    await db.run(`UPDATE contacts SET opted_out = true WHERE id = 't1'`);
    const first = await at();
    expect(first).toBeInstanceOf(Date);
    await db.run(`UPDATE contacts SET opted_out = true, title = 'x' WHERE id = 't1'`);
    expect(await at()).toEqual(first);
    await db.run(`UPDATE contacts SET opted_out = false WHERE id = 't1'`);
    expect(await at()).toBeNull();
    await db.run(`DELETE FROM contacts WHERE id = 't1'`);
  });

  it('counts the week’s new opt-outs and every opted-out address still where it was pushed', async () => {
    expect(week).toEqual({
      since: new Date('2026-11-16T00:00:00Z'),
      until: new Date('2026-11-23T00:00:00Z'),
    });
    const report = await optOutReport({ db, actor: OPS, ...week });
    expect(report.newOptOuts).toMatchObject({ listEmails: 1, listDomains: 1, people: 1 });
    expect(report.newOptOuts.list.map((e) => e.value)).toEqual(['kim@beta.io', 'gamma.com']);
    expect(report.newOptOuts.flagged).toEqual([
      {
        id: 'l1',
        kind: 'lead',
        email: 'jo@acme.com',
        accountId: 'a1',
        optedOutAt: '2026-11-17T09:00:00.000Z',
      },
    ]);
    expect(report.stillPresent.records.map((r) => [r.email, r.place, r.target, r.rule])).toEqual([
      ['jo@acme.com', 'orchestration_record', 'csv', 'lead'],
      ['jo@acme.com', 'outreach_enrollment', '12', 'lead'],
      ['kim@beta.io', 'orchestration_audience', null, 'list_email'],
      ['kim@beta.io', 'salesforce_campaign_member', '701A', 'list_email'],
      ['sam@mail.gamma.com', 'purchase', '7', 'list_domain'],
      ['sam@mail.gamma.com', 'salesforce_campaign_member', '701A', 'list_domain'],
      ['sam@mail.gamma.com', 'salesforce_lead', '00Q000000000031AAA', 'list_domain'],
    ]);
    expect(report.stillPresent).toMatchObject({
      total: 7,
      byPlace: {
        outreach_enrollment: 1,
        orchestration_record: 1,
        orchestration_audience: 1,
        salesforce_campaign_member: 2,
        salesforce_lead: 1,
        salesforce_contact: 0,
        purchase: 1,
      },
    });
    await expect(optOutReport({ db, actor: MARKETING, ...week })).rejects.toMatchObject({
      code: 'forbidden',
    });
  });

  it('delivers the week’s report to Slack once, whatever the reruns; not at all without a webhook', async () => {
    const webhook = slack.newWebhook();
    const now = new Date('2026-11-24T06:00:00Z'); // Tuesday of the next week
    const deliver = (at: Date, url: string | null = webhook) =>
      deliverWeeklyOptOutReport({
        db,
        webhookUrl: url,
        outbound: { timeoutMs: 5000, retries: 0 },
        now: at,
        slack: { minIntervalMs: 0 },
      });
    expect(await deliver(now, null)).toEqual({
      status: 'skipped',
      reason: 'SIGNALFIT_OPTOUT_REPORT_WEBHOOK is not set',
    });
    slack.fail(webhook, { status: 429, body: 'rate_limited', retryAfter: '600' });
    expect(await deliver(now)).toMatchObject({ status: 'failed', week: '2026-11-16' });
    // Not delivered: the week is free again, and the next run sends it.
    const [sent, again] = [await deliver(now), await deliver(new Date('2026-11-25T06:00:00Z'))];
    expect(sent).toEqual({ status: 'sent', week: '2026-11-16', stillPresent: 7 });
    expect(again).toEqual({
      status: 'skipped',
      reason: 'the report of the week of 2026-11-16 was sent already',
    });
    const messages = slack.accepted(webhook);
    expect(messages).toHaveLength(1);
    expect(messages[0]!.text).toBe(
      'Signalfit weekly opt-out report, 2026-11-16 to 2026-11-23 (UTC, end excluded). New opt-outs: 1 addresses and 1 domains on the list, 1 people flagged opted out. Opted-out addresses still in pushed audiences: 7 (Outreach enrolments (panel): 1, orchestration pushes: 1, orchestration audiences: 1, Salesforce campaign members: 2, Salesforce Leads created: 1, provider purchases: 1). Clean them up downstream.',
    );
    // Two instances at once: one sends, the other finds the week claimed.
    const results = await Promise.all([
      deliver(new Date('2026-12-01T06:00:00Z')),
      deliver(new Date('2026-12-01T06:00:01Z')),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual(['sent', 'skipped']);
    expect(slack.accepted(webhook)).toHaveLength(2);
  });
});
