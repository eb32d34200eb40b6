import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import request from 'supertest';
import type { Express } from 'express';
import { connectSalesforce, type SalesforceSettings } from '../../../integrations/salesforce/client';
import { OPERATOR } from '../../../policies/policies';
import { setCredits } from '../../../services/credits/credits';
import { ACME_ID, GLOBEX_ID, seedIntelligenceFixture } from '../../../services/intelligence/testing';
import { addProvider } from '../../../services/providers/providers';
import { saveScoringSetting } from '../../../services/scoring/settings';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import type { SalesforceStandIn, SfRecord } from '../../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../../test/salesforceStandIn/testing';
import { createApp, type AppDeps } from '../../app';
import { accessTokenFor, roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

/**
 * The panel's "find more people like this" against a csv provider and the Salesforce stand-in
 * (the real jsforce): the candidates for a persona, buying one (one purchase, one charge, one
 * Lead or Contact), buying again (nothing twice), refusals by role, permission and account.
 */
jest.setTimeout(60_000);

const HEADER =
  'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost';
const ROWS = [
  'p-ciso,ciso@acme.example,Cleo,Ito,CISO,C-Level,Security,https://www.Acme.example/about,US,B,',
  'p-vp,vp.sec@acme.example,Val,Petrov,VP Security,VP,Security,acme.example,US,A,2',
  'p-sam,SAM@acme.example,Sam,Okafor,Director of Application Security,Director,Security,acme.example,US,A,',
  'p-lee,lee@acme.example,Lee,Park,Security Director,Director,Security,acme.example,US,A,',
  'p-eu,eu@acme.example,Eva,Lang,Security Director,Director,Security,acme.example,DE,A,',
  'p-asst,asst@acme.example,Ann,Sy,Security Director Assistant,Director,Security,acme.example,US,A,',
  'p-dev,dev@acme.example,Dev,Ops,Platform Engineer,Staff,Engineering,acme.example,US,A,',
  'p-none,,No,Mail,CISO,C-Level,Security,acme.example,US,A,',
  'p-gx,ciso@globex.example,Gil,Gx,CISO,C-Level,Security,globex.example,US,A,',
  'p-init,ciso@initech.example,Ian,Tech,CISO,C-Level,Security,initech.example,US,A,',
];
const PERSONAS = [
  {
    name: 'Security Leader',
    jobLevels: ['C-Level', 'VP', 'Director'],
    jobFunctions: ['Security'],
    titleIncludes: [],
    titleExcludes: ['assistant'],
  },
  { name: 'Practitioner', jobLevels: ['Staff'], jobFunctions: [], titleIncludes: [], titleExcludes: [] },
];
const SALES_PANEL = ['Signalfit_Access', 'Signalfit_Sales_Actions'];

describe.each(testStoreTargets())('panel acquire routes on $name', (target) => {
  let db: Db;
  let dir: string;
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  let app: Express;
  let providerId: number;
  let initechId: string;
  let panel: { Authorization: string };
  useTestStore(target, (opened) => (db = opened));

  const makeApp = (deps: Partial<AppDeps> = {}) =>
    createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => new Date(),
      panelProvider: 'Vendor export',
      salesforce: () => connectSalesforce(settings),
      salesforcePollMs: 5,
      ...deps,
    });
  const panelUser = async (on: Express, rid: string, perms: string[]) => ({
    Authorization: `Bearer ${await accessTokenFor(on, { rid, obj: 'Account', perms }, new Date())}`,
  });
  const all = (sobject: string): SfRecord[] =>
    [...(standIn.records.get(sobject)?.values() ?? [])].filter((r) => r.IsDeleted !== true);
  const count = async (table: string) =>
    (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;
  const buy = (providerContactId: string, headers = panel, account = ACME_ID, on = app) =>
    request(on)
      .post(`/api/accounts/${account}/acquire`)
      .set(headers)
      .send({ providerId: providerContactId, persona: 'Security Leader' });

  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn());
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-acquire-routes-'));
    writeFileSync(path.join(dir, 'provider_contacts.csv'), `${HEADER}\n${ROWS.join('\n')}\n`);
    await seedIntelligenceFixture(db);
    // An account synced from Salesforce: people bought there become Contacts under it.
    initechId = standIn.insert('Account', { Name: 'Initech' });
    await db.query(`INSERT INTO accounts (id, name, domain) VALUES ($1, 'Initech', 'initech.example')`, [
      initechId,
    ]);
    await db.query(`INSERT INTO salesforce_records (id, sobject) VALUES ($1, 'Account')`, [initechId]);
    await saveScoringSetting(db, 'personas', PERSONAS, OPERATOR);
    ({
      provider: { id: providerId },
    } = await addProvider({ db, name: 'Vendor export', type: 'csv', dir, actor: OPERATOR }));
    await setCredits({ db, allowance: 100, actor: OPERATOR, now: new Date() });
    app = makeApp();
    panel = await panelUser(app, ACME_ID, SALES_PANEL);
  });
  afterAll(async () => {
    await standIn?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('offers the candidates for a persona: known, opted-out, restricted and filtered people left out', async () => {
    const res = await request(app)
      .get(`/api/accounts/${ACME_ID}/acquire`)
      .query({ persona: 'security leader' })
      .set(panel);
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('private, no-store');
    expect(res.body.provider).toEqual({ id: providerId, name: 'Vendor export' });
    expect(res.body.persona).toBe('Security Leader');
    expect(res.body.candidates).toEqual([
      {
        provider_id: 'p-vp',
        email: 'vp.sec@acme.example',
        first_name: 'Val',
        last_name: 'Petrov',
        title: 'VP Security',
        job_level: 'VP',
        job_function: 'Security',
        country: 'US',
        email_confidence: 'A',
        cost: 2,
        account_id: ACME_ID,
        account_name: 'Acme Cloud',
        why: 'title entry 1; persona "Security Leader" (priority 1); email A',
      },
      expect.objectContaining({ provider_id: 'p-ciso', email_confidence: 'B', cost: 1 }),
    ]);
    // Without a persona, every title passes, in the persona map's order (no persona last).
    const any = await request(app).get(`/api/accounts/${ACME_ID}/acquire`).set(panel);
    expect(any.body.candidates.map((c: { provider_id: string }) => c.provider_id)).toEqual([
      'p-vp',
      'p-ciso',
      'p-dev',
      'p-asst',
    ]);
    const unknown = await request(app)
      .get(`/api/accounts/${ACME_ID}/acquire`)
      .query({ persona: 'Astronaut' })
      .set(panel);
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toBe(
      'no persona named "Astronaut" in the persona map (Security Leader, Practitioner)',
    );
  });

  it('buys one person once: one purchase, one charge, one Lead marked Sales Intelligence', async () => {
    const purchases = await count('contact_purchases');
    const charges = await count('credit_ledger');
    const first = await buy('p-ciso');
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ outcome: 'pushed', target_id: expect.stringMatching(/^00Q/) });
    const leads = all('Lead').filter((l) => l.Email === 'ciso@acme.example');
    expect(leads).toEqual([
      expect.objectContaining({
        Id: first.body.target_id,
        FirstName: 'Cleo',
        LastName: 'Ito',
        Company: 'Acme Cloud',
        LeadSource: 'Signalfit',
        Signalfit_Source_Type__c: 'Sales Intelligence',
      }),
    ]);
    const [purchase] = await db.query<Record<string, unknown>>(
      `SELECT account_id, orchestration_id, source_type, state FROM contact_purchases WHERE provider_contact_id = 'p-ciso'`,
    );
    expect(purchase).toEqual({
      account_id: ACME_ID,
      orchestration_id: null,
      source_type: 'Sales Intelligence',
      state: 'purchased',
    });
    expect(await count('contact_purchases')).toBe(purchases + 1);
    expect(await count('credit_ledger')).toBe(charges + 1);

    const again = await buy('p-ciso');
    expect(again.body).toEqual(first.body);
    expect(await count('contact_purchases')).toBe(purchases + 1);
    expect(await count('credit_ledger')).toBe(charges + 1);
    expect(all('Lead').filter((l) => l.Email === 'ciso@acme.example')).toHaveLength(1);
    // No longer offered.
    const offered = await request(app)
      .get(`/api/accounts/${ACME_ID}/acquire`)
      .query({ persona: 'Security Leader' })
      .set(panel);
    expect(offered.body.candidates.map((c: { provider_id: string }) => c.provider_id)).toEqual(['p-vp']);
  });

  it('creates a Contact under an account synced from Salesforce', async () => {
    const seller = await panelUser(app, initechId, SALES_PANEL);
    const res = await buy('p-init', seller, initechId);
    expect(res.body).toEqual({ outcome: 'pushed', target_id: expect.stringMatching(/^003/) });
    expect(all('Contact').filter((c) => c.Email === 'ciso@initech.example')).toEqual([
      expect.objectContaining({ AccountId: initechId, Signalfit_Source_Type__c: 'Sales Intelligence' }),
    ]);
  });

  it('skips a person who is no longer a candidate, with the reason, and buys nothing', async () => {
    const purchases = await count('contact_purchases');
    const reasons: Record<string, string> = {};
    for (const id of ['p-sam', 'p-lee', 'p-eu', 'p-asst', 'p-none', 'p-dev']) {
      const res = await buy(id);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ outcome: 'skipped', target_id: null });
      reasons[id] = res.body.reason;
    }
    expect(reasons).toEqual({
      'p-sam': 'already_in_crm',
      'p-lee': 'opted_out',
      'p-eu': 'restricted_region',
      'p-asst': 'filtered_out',
      'p-none': 'no_email',
      'p-dev': 'filtered_out',
    });
    // A person of another account is not offered here.
    const elsewhere = await buy('p-gx');
    expect(elsewhere.status).toBe(404);
    expect(elsewhere.body.error.message).toBe(
      'the provider Vendor export offers no person with id p-gx at acme.example',
    );
    expect(await count('contact_purchases')).toBe(purchases);
  });

  it('fails a purchase the credits cannot pay, with the balance, and charges nothing', async () => {
    await setCredits({ db, allowance: 0, actor: OPERATOR, now: new Date() });
    try {
      const purchases = await count('contact_purchases');
      const res = await buy('p-vp');
      expect(res.body).toEqual({
        outcome: 'failed',
        target_id: null,
        error:
          'not bought: 0 credits left, 2 needed; raise the allowance with signalfit credits set or allow overage',
      });
      expect(await count('contact_purchases')).toBe(purchases);
      expect(all('Lead').filter((l) => l.Email === 'vp.sec@acme.example')).toEqual([]);
    } finally {
      await setCredits({ db, allowance: 100, actor: OPERATOR, now: new Date() });
    }
  });

  it('answers purchased without Salesforce configured', async () => {
    const withoutSalesforce = makeApp({ salesforce: null });
    const res = await buy(
      'p-vp',
      await panelUser(withoutSalesforce, ACME_ID, SALES_PANEL),
      ACME_ID,
      withoutSalesforce,
    );
    expect(res.body).toEqual({ outcome: 'purchased', target_id: null });
    expect(all('Lead').filter((l) => l.Email === 'vp.sec@acme.example')).toEqual([]);
  });

  it('refuses Marketing, a panel user without Signalfit_Sales_Actions, and a panel framed on another account', async () => {
    const as = await roleHeaders(db, ['Marketing', 'Sales'], new Date());
    const marketing = await request(app).get(`/api/accounts/${ACME_ID}/acquire`).set(as('Marketing'));
    expect(marketing.status).toBe(403);
    expect(marketing.body.error.message).toBe(
      'finding people to buy is for the Admin, Operations, Sales roles',
    );
    expect((await buy('p-vp', as('Marketing'))).status).toBe(403);
    // A standalone-app Sales user may (any account).
    expect((await request(app).get(`/api/accounts/${GLOBEX_ID}/acquire`).set(as('Sales'))).status).toBe(200);

    const readOnly = await panelUser(app, ACME_ID, ['Signalfit_Access']);
    const refused = await buy('p-vp', readOnly);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toBe(
      'buying a person needs the Signalfit_Sales_Actions permission (or the Admin, Operations, Sales role)',
    );
    expect((await request(app).get(`/api/accounts/${ACME_ID}/acquire`).set(readOnly)).status).toBe(403);

    const onGlobex = await panelUser(app, GLOBEX_ID, SALES_PANEL);
    const framed = await buy('p-vp', onGlobex);
    expect(framed.status).toBe(403);
    expect(framed.body.error.message).toBe('this panel was opened for another record');
    expect((await request(app).get(`/api/accounts/${ACME_ID}/acquire`).set(onGlobex)).status).toBe(403);
  });

  it('answers provider null without a provider for the panel, and refuses to buy', async () => {
    await addProvider({ db, name: 'Other vendor', type: 'csv', dir, actor: OPERATOR });
    // Two providers and no setting: none is chosen.
    const unset = makeApp({ panelProvider: null });
    const user = await panelUser(unset, ACME_ID, SALES_PANEL);
    const res = await request(unset)
      .get(`/api/accounts/${ACME_ID}/acquire`)
      .query({ persona: 'Security Leader' })
      .set(user);
    expect(res.body).toEqual({ provider: null, persona: 'Security Leader', candidates: [] });
    const refused = await buy('p-vp', user, ACME_ID, unset);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toEqual({
      code: 'bad_request',
      message:
        'no contact-data provider is set for the panel: add one with signalfit providers add and set SIGNALFIT_PANEL_PROVIDER',
    });
  });
});
