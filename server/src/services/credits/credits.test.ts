import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { creditEntries, creditView, getCredits, setCredits } from './credits';

const OPS: Actor = { userId: 'u-olga', name: 'Olga', email: 'olga@example.com', role: 'Operations' };
const MARKETING: Actor = { userId: 'u-ada', name: 'Ada', email: null, role: 'Marketing' };
const NOW = new Date('2026-11-20T10:00:00Z');

describe.each(testStoreTargets())('credits on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  afterEach(async () => {
    await db.exec(
      'DELETE FROM credit_ledger; DELETE FROM contact_purchases; DELETE FROM contact_providers; DELETE FROM credit_settings',
    );
  });

  /** A purchase charged `amount` at `at` (what purchaseContacts writes). */
  async function charge(email: string, amount: number, at: string): Promise<number> {
    const [provider] = await db.query<{ id: string }>(
      `INSERT INTO contact_providers (name, type, settings) VALUES ($1, 'csv', '{}') RETURNING id`,
      [`p-${email}`],
    );
    const [purchase] = await db.query<{ id: string }>(
      `INSERT INTO contact_purchases (provider_id, provider_contact_id, email, contact, source_type, state, cost, idempotency_key)
       VALUES ($1, $2, $2, '{}', 'Orchestration', 'purchased', $3, 'k') RETURNING id`,
      [provider!.id, email, amount],
    );
    await db.run(
      `INSERT INTO credit_ledger (charged_at, amount, purchase_id, orchestration_id, run_id, note) VALUES ($1, $2, $3, 4, 40, 'bought from p')`,
      [at, amount, purchase!.id],
    );
    return Number(purchase!.id);
  }

  it('has no balance until an allowance is set', async () => {
    expect(await getCredits(db, NOW)).toBeNull();
  });

  it("counts the current month's charges against the allowance", async () => {
    await charge('october@x.test', 50, '2026-10-31T23:59:59Z');
    await charge('a@x.test', 30, '2026-11-01T00:00:00Z');
    await charge('b@x.test', 2.5, '2026-11-19T08:00:00Z');
    const balance = await setCredits({ db, allowance: 100, actor: OPS, now: NOW });
    expect(creditView(balance)).toEqual({
      allowance: 100,
      period: 'month',
      allowOverage: false,
      periodStart: '2026-11-01T00:00:00.000Z',
      periodEnd: '2026-12-01T00:00:00.000Z',
      used: 32.5,
      balance: 67.5,
      overage: 0,
    });
    expect(await getCredits(db, new Date('2026-12-02T00:00:00Z'))).toMatchObject({ used: 0, balance: 100 });
    const [settings] = await db.query('SELECT updated_by FROM credit_settings');
    expect(settings).toEqual({ updated_by: 'olga@example.com' });
  });

  it('keeps the period and overage when they are not given, and shows overage past the allowance', async () => {
    await charge('a@x.test', 12, '2026-11-02T00:00:00Z');
    await setCredits({ db, allowance: 20, allowOverage: true, actor: OPS, now: NOW });
    expect(await setCredits({ db, allowance: 10, actor: OPS, now: NOW })).toMatchObject({
      allowance: 10,
      allowOverage: true,
      used: 12,
      balance: 0,
      overage: 2,
    });
    expect(await setCredits({ db, allowance: 10, allowOverage: false, actor: OPS, now: NOW })).toMatchObject({
      allowOverage: false,
    });
  });

  it('refuses a negative allowance and a role that may not manage orchestrations', async () => {
    await expect(setCredits({ db, allowance: -1, actor: OPS })).rejects.toMatchObject({
      code: 'validation_failed',
      message: 'the credit allowance must be a number of credits, 0 or more (got -1)',
    });
    await expect(setCredits({ db, allowance: Number.NaN, actor: OPS })).rejects.toMatchObject({
      code: 'validation_failed',
    });
    await expect(setCredits({ db, allowance: 5, actor: MARKETING })).rejects.toMatchObject({
      code: 'forbidden',
      message: 'setting the credit allowance is for the Admin, Operations roles',
    });
    expect(await getCredits(db, NOW)).toBeNull();
  });

  it('lists the ledger newest first, with the email bought, up to a limit', async () => {
    const first = await charge('a@x.test', 1, '2026-11-02T00:00:00Z');
    const second = await charge('b@x.test', 3, '2026-11-03T00:00:00Z');
    expect(await creditEntries(db)).toEqual([
      {
        chargedAt: '2026-11-03T00:00:00.000Z',
        amount: 3,
        purchaseId: second,
        orchestrationId: 4,
        runId: 40,
        email: 'b@x.test',
        note: 'bought from p',
      },
      expect.objectContaining({ purchaseId: first, email: 'a@x.test', amount: 1 }),
    ]);
    expect((await creditEntries(db, { limit: 1 })).map((e) => e.purchaseId)).toEqual([second]);
  });
});
