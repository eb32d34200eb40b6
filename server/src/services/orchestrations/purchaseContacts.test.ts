import type { ProviderContact } from '../../domain/orchestrations/types';
import type { ContactProvider, PurchaseAnswer } from '../../integrations/providers/provider';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { getCredits, setCredits } from '../credits/credits';
import { purchaseContacts, type PurchasePick } from './purchaseContacts';

const NOW = new Date('2026-11-20T10:00:00Z');

function person(id: string, cost = 1): ProviderContact {
  return {
    providerId: id,
    email: `${id}@acme.test`,
    firstName: `First ${id}`,
    lastName: `Last ${id}`,
    title: 'VP Security',
    jobLevel: null,
    jobFunction: 'Security',
    companyDomain: 'acme.test',
    country: 'US',
    emailConfidence: 'A',
    cost,
  };
}

const picks = (...rows: ProviderContact[]): PurchasePick[] => rows.map((row) => ({ row, accountId: 'A1' }));

/**
 * A provider that keeps what it charged: once per idempotency key, like the contract says; it
 * can refuse people, or charge and then fail to answer (the connection drops).
 */
class CountingProvider implements ContactProvider {
  readonly name = 'counting';
  readonly calls: { ids: string[]; key: string }[] = [];
  private readonly answers = new Map<string, PurchaseAnswer[]>();
  charged = 0;
  refuse = new Set<string>();
  dropAfterCharging = 0;

  search(): Promise<ProviderContact[]> {
    return Promise.resolve([]);
  }

  purchase(ids: readonly string[], key: string): Promise<PurchaseAnswer[]> {
    this.calls.push({ ids: [...ids], key });
    let answer = this.answers.get(key);
    if (!answer) {
      answer = ids.map((id) =>
        this.refuse.has(id)
          ? { providerId: id, ok: false as const, error: 'no longer available' }
          : {
              providerId: id,
              ok: true as const,
              contact: { ...person(id), title: 'CISO' },
              cost: costs.get(id) ?? 1,
            },
      );
      this.answers.set(key, answer);
      this.charged += answer.reduce((sum, a) => sum + (a.ok ? a.cost : 0), 0);
    }
    if (this.dropAfterCharging > 0) {
      this.dropAfterCharging -= 1;
      return Promise.reject(new Error('socket hang up'));
    }
    return Promise.resolve(answer);
  }

  asked(): string[] {
    return this.calls.flatMap((c) => c.ids);
  }
}

/** What the provider charges per person (the provider's price, as reported in its answer). */
const costs = new Map<string, number>();

describe.each(testStoreTargets())('purchaseContacts on $name', (target) => {
  let db: Db;
  let providerRecordId: number;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO contact_providers (name, type, settings) VALUES ('Vendor', 'csv', '{"dir": "/x"}') RETURNING id`,
    );
    providerRecordId = Number(row!.id);
  });
  afterEach(async () => {
    costs.clear();
    await db.exec(
      'DELETE FROM credit_ledger; DELETE FROM contact_purchases; DELETE FROM credit_settings; DELETE FROM contacts; DELETE FROM accounts',
    );
  });

  const buy = (provider: ContactProvider, chosen: PurchasePick[], batchSize?: number) =>
    purchaseContacts({
      db,
      provider,
      providerRecordId,
      picks: chosen,
      orchestrationId: 7,
      runId: 70,
      sourceType: 'Orchestration',
      actor: OPERATOR,
      now: () => NOW,
      batchSize,
    });
  const ledger = () =>
    db.query<{ email: string; amount: number }>(
      `SELECT p.email, l.amount::float8 AS amount FROM credit_ledger l JOIN contact_purchases p ON p.id = l.purchase_id ORDER BY l.id`,
    );
  const allowance = (credits: number, allowOverage = false) =>
    setCredits({ db, allowance: credits, allowOverage, actor: OPERATOR, now: NOW });

  it('buys nothing without an allowance, and says what the picks would need', async () => {
    const provider = new CountingProvider();
    const report = await buy(provider, picks(person('p1', 2), person('p2', 3)));
    expect(report).toEqual({
      purchased: [],
      refused: [],
      notBought: picks(person('p1', 2), person('p2', 3)),
      stoppedForCredits: { balance: 0, needed: 5 },
    });
    expect(provider.calls).toEqual([]);
  });

  it('buys in order, in batches, and stops before the first person the balance cannot pay for', async () => {
    await allowance(5);
    const provider = new CountingProvider();
    const chosen = picks(person('p1', 2), person('p2', 2), person('p3', 2), person('p4', 1));
    for (const p of chosen) costs.set(p.row.providerId, p.row.cost);
    const report = await buy(provider, chosen, 1);
    expect(provider.calls.map((c) => c.ids)).toEqual([['p1'], ['p2']]);
    expect(report.purchased.map((p) => [p.row.providerId, p.cost, p.alreadyOwned, p.row.title])).toEqual([
      ['p1', 2, false, 'CISO'],
      ['p2', 2, false, 'CISO'],
    ]);
    // p4 would fit, but buying goes in the given order and stops at the first that does not.
    expect(report.notBought.map((p) => p.row.providerId)).toEqual(['p3', 'p4']);
    expect(report.stoppedForCredits).toEqual({ balance: 1, needed: 3 });
    expect(await ledger()).toEqual([
      { email: 'p1@acme.test', amount: 2 },
      { email: 'p2@acme.test', amount: 2 },
    ]);
    expect(await getCredits(db, NOW)).toMatchObject({ used: 4, balance: 1, overage: 0 });
  });

  it('goes on past the allowance when overage is allowed', async () => {
    await allowance(1, true);
    const provider = new CountingProvider();
    const report = await buy(provider, picks(person('p1'), person('p2'), person('p3')), 2);
    expect(provider.calls.map((c) => c.ids)).toEqual([['p1', 'p2'], ['p3']]);
    expect(report.purchased).toHaveLength(3);
    expect(report.stoppedForCredits).toBeNull();
    expect(await getCredits(db, NOW)).toMatchObject({ used: 3, balance: 0, overage: 2 });
  });

  it('returns people bought before as already owned: not asked for, not charged again', async () => {
    await allowance(10);
    const provider = new CountingProvider();
    const first = await buy(provider, picks(person('p1')));
    const again = await buy(provider, picks(person('p1'), person('p2')));
    expect(provider.calls.map((c) => c.ids)).toEqual([['p1'], ['p2']]);
    expect(again.purchased.map((p) => [p.row.providerId, p.purchaseId, p.alreadyOwned])).toEqual([
      ['p1', first.purchased[0]!.purchaseId, true],
      ['p2', expect.any(Number), false],
    ]);
    expect(await ledger()).toHaveLength(2);
    expect(provider.charged).toBe(2);
  });

  it('reports what the provider refuses, charges nothing for it, and may buy it on a later run', async () => {
    await allowance(10);
    const provider = new CountingProvider();
    provider.refuse.add('p2');
    const report = await buy(provider, picks(person('p1'), person('p2')));
    expect(report.refused).toEqual([{ row: person('p2'), accountId: 'A1', error: 'no longer available' }]);
    expect(await ledger()).toEqual([{ email: 'p1@acme.test', amount: 1 }]);
    provider.refuse.clear();
    const later = await buy(provider, picks(person('p2')));
    expect(later.purchased.map((p) => [p.row.providerId, p.alreadyOwned])).toEqual([['p2', false]]);
    expect(await ledger()).toHaveLength(2);
  });

  it('never asks for an opted-out address (checked when sending) and says opted_out', async () => {
    await allowance(10);
    await db.run(`INSERT INTO accounts (id, name) VALUES ('A1', 'Acme')`);
    await db.run(
      `INSERT INTO contacts (id, account_id, email, opted_out, kind) VALUES ('L9', 'A1', ' P2@Acme.test', true, 'lead')`,
    );
    const provider = new CountingProvider();
    const report = await buy(provider, picks(person('p1'), person('p2')));
    expect(provider.asked()).toEqual(['p1']);
    expect(report.refused).toEqual([
      {
        row: person('p2'),
        accountId: 'A1',
        error: 'opted_out: the address p2@acme.test is opted out on lead L9',
      },
    ]);
  });

  it('refuses people without an email and a second pick of the same email', async () => {
    await allowance(10);
    const provider = new CountingProvider();
    const twin = { ...person('p9'), email: 'P1@acme.test' };
    const report = await buy(provider, picks(person('p1'), { ...person('p2'), email: null }, twin));
    expect(provider.asked()).toEqual(['p1']);
    expect(report.refused.map((r) => [r.row.providerId, r.error.split(':')[0]])).toEqual([
      ['p2', 'no_email'],
      ['p9', 'the same email as provider contact p1, which this purchase buys instead'],
    ]);
  });

  it('asks again with its own key for a batch a dead run left requested, and charges it once', async () => {
    await allowance(10);
    for (const id of ['p1', 'p2']) {
      await db.run(
        `INSERT INTO contact_purchases (provider_id, provider_contact_id, email, account_id, contact, orchestration_id,
           run_id, source_type, state, cost, idempotency_key)
         VALUES ($1, $2, $3, 'A1', $4::jsonb, 7, 69, 'Orchestration', 'requested', 1, 'purchase:dead-run')`,
        [providerRecordId, id, `${id}@acme.test`, JSON.stringify(person(id))],
      );
    }
    const provider = new CountingProvider();
    const report = await buy(provider, picks(person('p1'), person('p2'), person('p3')));
    expect(provider.calls[0]).toEqual({ ids: ['p1', 'p2'], key: 'purchase:dead-run' });
    expect(provider.calls.slice(1).map((c) => c.ids)).toEqual([['p3']]);
    expect(provider.calls[1]!.key).not.toBe('purchase:dead-run');
    expect(report.purchased.map((p) => [p.row.providerId, p.alreadyOwned])).toEqual([
      ['p1', false],
      ['p2', false],
      ['p3', false],
    ]);
    expect(await ledger()).toHaveLength(3);
  });

  it('a provider that charges and then fails leaves the batch requested; the rerun charges nothing twice', async () => {
    await allowance(10);
    const provider = new CountingProvider();
    provider.dropAfterCharging = 1;
    await expect(buy(provider, picks(person('p1'), person('p2')))).rejects.toMatchObject({
      code: 'provider_unavailable',
    });
    expect(
      await db.query(`SELECT provider_contact_id, state FROM contact_purchases ORDER BY provider_contact_id`),
    ).toEqual([
      { provider_contact_id: 'p1', state: 'requested' },
      { provider_contact_id: 'p2', state: 'requested' },
    ]);
    expect(await ledger()).toEqual([]);
    const rerun = await buy(provider, picks(person('p1'), person('p2')));
    expect(provider.calls.map((c) => c.key)).toEqual([provider.calls[0]!.key, provider.calls[0]!.key]);
    expect(rerun.purchased.map((p) => p.row.providerId)).toEqual(['p1', 'p2']);
    expect(provider.charged).toBe(2);
    expect(await ledger()).toHaveLength(2);
    expect(await getCredits(db, NOW)).toMatchObject({ used: 2, balance: 8 });
  });

  it('counts purchases under way against the balance', async () => {
    await allowance(2);
    await db.run(
      `INSERT INTO contact_purchases (provider_id, provider_contact_id, email, account_id, contact, orchestration_id,
         source_type, state, cost, idempotency_key)
       VALUES ($1, 'other', 'other@acme.test', 'A2', '{}'::jsonb, 99, 'Orchestration', 'requested', 2, 'purchase:live')`,
      [providerRecordId],
    );
    const provider = new CountingProvider();
    const report = await buy(provider, picks(person('p1')));
    expect(provider.calls).toEqual([]);
    expect(report.stoppedForCredits).toEqual({ balance: 0, needed: 1 });
  });
});
