import type { Db } from '../../store/db';
import { openPostgres } from '../../store/postgres';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { accountRanges } from './accountRanges';
import { loadMarketFacts, type AccountRange } from './loadFacts';
import { loadScoringSettings } from './settings';
import { scoreStore } from './scoreStore';

/**
 * A run that applies versions scores the market part by part (accountRanges.ts, scoreStore.ts
 * storeAppliedInParts): its rows must be those of a run of the whole market in one part, and a
 * failure in any part must leave no run.
 */
const END = new Date('2026-11-01T00:00:00Z');
const NEXT = new Date('2026-11-02T00:00:00Z');

/** Every stored field of a run's accounts and people (person reasons read through their sets). */
async function runRows(db: Db, runId: number) {
  const accounts = await db.query(
    `SELECT account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified,
        to_char(qualified_since, 'YYYY-MM-DD') AS qualified_since, reasons
       FROM account_scores WHERE run_id = $1 ORDER BY account_id COLLATE "C"`,
    [runId],
  );
  const people = await db.query(
    `SELECT c.contact_id, c.account_id, c.engagement_score, c.engagement_grade, c.profile_score, c.profile_fit,
        c.persona, e.reasons AS engagement_reasons, p.reasons AS profile_reasons
       FROM contact_scores c
       LEFT JOIN score_reason_sets e ON e.run_id = c.run_id AND e.id = c.engagement_reasons
       LEFT JOIN score_reason_sets p ON p.run_id = c.run_id AND p.id = c.profile_reasons
      WHERE c.run_id = $1 ORDER BY c.contact_id COLLATE "C"`,
    [runId],
  );
  const [run] = await db.query(
    `SELECT status, accounts, people, model_version, model_versions, summary FROM score_runs WHERE id = $1`,
    [runId],
  );
  return { accounts, people, run };
}

describe.each(testStoreTargets())('a run in parts on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 23, accounts: 230, endDate: END });
    // The first run trains and activates the versions that the runs below apply.
    await scoreStore(db, { asOf: END });
  }, 120_000);

  it('splits the accounts into consecutive ranges that cover each account once', async () => {
    const ids = (await db.query<{ id: string }>('SELECT id FROM accounts ORDER BY id')).map((row) => row.id);
    expect(ids).toHaveLength(230);
    const settings = await loadScoringSettings(db);
    for (const size of [1, 17, 23, 229, 230, 5_000]) {
      const ranges = await accountRanges(db, NEXT, size);
      expect(ranges).toHaveLength(Math.ceil(230 / size));
      const seen: string[] = [];
      for (const range of ranges) {
        const facts = await db.transaction((tx) =>
          loadMarketFacts(tx, NEXT, settings, { windows: 1, accounts: range }),
        );
        expect(facts.accounts.length).toBeGreaterThan(0);
        expect(facts.accounts.length).toBeLessThanOrEqual(size);
        seen.push(...facts.accounts.map((account) => account.id));
      }
      expect([...seen].sort()).toEqual([...ids].sort());
    }
    expect(await accountRanges(db, NEXT, 5_000)).toEqual([{ after: null, through: null }]);
    await expect(accountRanges(db, NEXT, 0)).rejects.toThrow('a whole number of accounts ≥ 1, not 0');
  }, 120_000);

  it('reads an account whose id holds a quote within its range', async () => {
    const ids = ["O'Brien & Sons", "Zed's", "a'"];
    for (const id of ids) {
      await db.run(`INSERT INTO accounts (id, name, created_at) VALUES ($1, $1, '2026-01-01')`, [id]);
      await db.run(
        `INSERT INTO contacts (id, account_id, title, created_at) VALUES ($1, $2, 'VP Sales', '2026-01-01')`,
        [`${id}-contact`, id],
      );
    }
    try {
      const settings = await loadScoringSettings(db);
      const range: AccountRange = { after: "O'Brien & Sons", through: "a'" };
      const facts = await db.transaction((tx) =>
        loadMarketFacts(tx, NEXT, settings, { windows: 1, accounts: range }),
      );
      const inRange = (
        await db.query<{ id: string }>(
          `SELECT id FROM accounts WHERE id > $1 AND id <= $2 ORDER BY id COLLATE "C"`,
          [range.after, range.through],
        )
      ).map((row) => row.id);
      expect(facts.accounts.map((account) => account.id)).toEqual(inRange);
      expect(inRange).toContain("Zed's");
      expect(inRange).toContain("a'");
      expect(inRange).not.toContain("O'Brien & Sons");
      expect(facts.people.map((person) => person.id)).toEqual(
        expect.arrayContaining(["Zed's-contact", "a'-contact"]),
      );
    } finally {
      await db.run('DELETE FROM accounts WHERE id = ANY($1)', [ids]);
    }
  }, 120_000);

  it('stores the same rows in parts of 17 accounts as in one part', async () => {
    const whole = await scoreStore(db, { asOf: NEXT });
    const inParts = await scoreStore(db, { asOf: NEXT, accountsPerPart: 17 });
    expect(inParts).toMatchObject({
      accounts: whole.accounts,
      people: whole.people,
      qualified: whole.qualified,
      summary: whole.summary,
    });
    const a = await runRows(db, whole.runId);
    const b = await runRows(db, inParts.runId);
    expect(a.accounts).toHaveLength(230);
    expect(b.accounts).toEqual(a.accounts);
    expect(b.people.length).toBeGreaterThan(230);
    expect(b.people).toEqual(a.people);
    expect(b.run).toEqual(a.run);
  }, 120_000);

  it('needs no more than two connections (a pool of two does not wait on itself)', async () => {
    if (db.kind !== 'postgres') return;
    const [{ schema } = { schema: '' }] = await db.query<{ schema: string }>(
      'SELECT current_schema() AS schema',
    );
    const small = await openPostgres({
      connectionString: process.env.TEST_DATABASE_URL as string,
      schema,
      maxConnections: 2,
    });
    try {
      const result = await scoreStore(small, { asOf: NEXT, accountsPerPart: 40 });
      expect(result.accounts).toBe(230);
    } finally {
      await small.close();
    }
  }, 60_000);

  it('leaves no run when a part fails, and a rerun completes', async () => {
    const runs = async () =>
      (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM score_runs'))[0]?.n as number;
    const before = await runs();
    await expect(
      scoreStore(db, {
        asOf: NEXT,
        accountsPerPart: 50,
        beforeCommit: async () => {
          throw new Error('the lease was lost');
        },
      }),
    ).rejects.toThrow('the lease was lost');
    // Stopped between parts (a shutdown): the signal is checked before the run and before each part.
    let checks = 0;
    const stopsAtSecondPart = {
      throwIfAborted() {
        checks += 1;
        if (checks === 3) throw new Error('shutting down');
      },
    } as unknown as AbortSignal;
    await expect(
      scoreStore(db, { asOf: NEXT, accountsPerPart: 50, signal: stopsAtSecondPart }),
    ).rejects.toThrow('shutting down');
    expect(checks).toBe(3);
    expect(await runs()).toBe(before);
    const [left] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_scores WHERE run_id NOT IN (SELECT id FROM score_runs)`,
    );
    expect(left?.n).toBe(0);
    const rerun = await scoreStore(db, { asOf: NEXT, accountsPerPart: 50 });
    expect(rerun.accounts).toBe(230);
    expect(await runs()).toBe(before + 1);
  }, 120_000);
});
