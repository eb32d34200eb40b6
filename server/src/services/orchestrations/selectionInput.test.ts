import { selectCandidates } from '../../domain/orchestrations/selectCandidates';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { findOrchestration } from './orchestrationRecords';
import {
  insertOrchestration,
  MARKET_ROWS,
  MemoryProvider,
  NOW,
  seedEarlierPurchase,
  seedRunMarket,
} from './runTesting';
import { gatherSelectionInput, knownEmails, segmentAccounts } from './selectionInput';

describe.each(testStoreTargets())('selection input on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let orchestrationId: number;
  let otherId: number;

  beforeAll(async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    orchestrationId = await insertOrchestration(db, { name: 'Acquire', segmentId, providerId });
    otherId = await insertOrchestration(db, { name: 'Other', segmentId, providerId });
    await seedEarlierPurchase(db, providerId, orchestrationId);
  });

  it("lists the segment's accounts by id with visit countries (the contact's, else the account's) and this orchestration's last pick", async () => {
    const accounts = await segmentAccounts(db, await findOrchestration(db, orchestrationId));
    expect(accounts).toEqual([
      // c1 (FR) visited once, the account (US) twice without a contact; the email open is no visit.
      { accountId: 'a1', name: 'Acme', domain: 'acme.com', visitCountries: ['US', 'FR'], lastPickedAt: null },
      {
        accountId: 'a2',
        name: 'Beta',
        domain: 'https://www.Beta.io/',
        visitCountries: [],
        lastPickedAt: null,
      },
      {
        accountId: 'a3',
        name: 'Gamma',
        domain: 'gamma.com',
        visitCountries: [],
        lastPickedAt: new Date(NOW.getTime() - 3 * 86_400_000),
      },
      { accountId: 'a4', name: 'Nodomain', domain: null, visitCountries: [], lastPickedAt: null },
      { accountId: 'a5', name: 'Delta', domain: 'delta.com', visitCountries: [], lastPickedAt: null },
    ]);
    // The cooldown is per orchestration: another one has picked nothing at a3.
    const other = await segmentAccounts(db, await findOrchestration(db, otherId));
    expect(other.find((a) => a.accountId === 'a3')?.lastPickedAt).toBeNull();
  });

  it('knows the addresses of contacts, leads and purchases that did not fail, compared trimmed and lower case', async () => {
    expect(
      [
        ...(await knownEmails(db, [' KNOWN@acme.com', 'old@GAMMA.com', 'optout@beta.io', 'new@x.com'])),
      ].sort(),
    ).toEqual(['known@acme.com', 'old@gamma.com', 'optout@beta.io']);
    await db.run(`UPDATE contact_purchases SET state = 'failed' WHERE email = 'old@gamma.com'`);
    try {
      expect([...(await knownEmails(db, ['old@gamma.com']))]).toEqual([]);
    } finally {
      await db.run(`UPDATE contact_purchases SET state = 'purchased' WHERE email = 'old@gamma.com'`);
    }
  });

  it('searches the provider once for the normalized domains, and the selection gives every skip reason to the right rows', async () => {
    const provider = new MemoryProvider(MARKET_ROWS);
    const orchestration = await findOrchestration(db, orchestrationId);
    const { input } = await gatherSelectionInput({ db, orchestration, provider, now: NOW });
    expect(provider.searches).toEqual([['acme.com', 'beta.io', 'gamma.com', 'delta.com']]);
    expect([...input.optedOutEmails]).toEqual(['optout@beta.io']);
    expect(input.optedOutDomains.size).toBe(0);
    const result = selectCandidates(input);
    const decisions = result.rows.map((d) => [d.row.providerId, d.accountId, d.reason]);
    expect(decisions.sort((x, y) => String(x[0]).localeCompare(String(y[0])))).toEqual([
      ['p01', 'a1', 'no_email'],
      ['p02', 'a1', 'opted_out'],
      ['p03', 'a1', 'already_in_crm'],
      ['p04', 'a1', 'restricted_region'],
      ['p05', 'a1', 'filtered_out'],
      ['p06', 'a1', null],
      ['p07', 'a1', null],
      ['p08', 'a1', 'cap_reached'],
      ['p09', 'a2', null],
      ['p10', 'a3', 'cooldown'],
    ]);
    expect(result.accounts.map((a) => [a.accountId, a.candidates, a.skippedReason])).toEqual([
      ['a1', 3, null],
      ['a2', 1, null],
      ['a3', 0, 'cooldown'],
      ['a4', 0, 'no_domain'],
      ['a5', 0, 'no_candidates'],
    ]);
  });
});
