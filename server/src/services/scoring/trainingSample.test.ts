import { createHash } from 'node:crypto';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { activeVersionIds } from '../models/versionStore';
import { loadMarketFacts } from './loadFacts';
import { trainAsOf } from './scoreRun';
import { scoreStore } from './scoreStore';
import { loadScoringSettings } from './settings';
import { trainingSample } from './trainingSample';

/**
 * A market larger than TRAINING_ACCOUNTS trains on a fixed sample of its accounts (those whose
 * id's MD5 is at or below a bound) with everything that is theirs, and the run applies the
 * models to every account.
 */
const END = new Date('2026-11-01T00:00:00Z');
const md5 = (text: string) => createHash('md5').update(text).digest('hex');

describe.each(testStoreTargets())('training on a sample on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 29, accounts: 240, endDate: END });
  }, 120_000);

  it('bounds a sample of exactly the size asked, the same every time, and none when all fit', async () => {
    const ids = (await db.query<{ id: string }>('SELECT id FROM accounts')).map((row) => row.id);
    const bound = await trainingSample(db, END, 90);
    expect(bound).toBe([...ids.map(md5)].sort()[89]);
    expect(ids.filter((id) => md5(id) <= (bound as string))).toHaveLength(90);
    expect(await trainingSample(db, END, 90)).toBe(bound);
    expect(await trainingSample(db, END, 240)).toBeNull();
    expect(await trainingSample(db, END, 1_000)).toBeNull();
    await expect(trainingSample(db, END, 0)).rejects.toThrow('a whole number of accounts ≥ 1, not 0');
  });

  it('reads the sampled accounts with their own people, opportunities and activity only', async () => {
    const settings = await loadScoringSettings(db);
    const bound = (await trainingSample(db, END, 90)) as string;
    const whole = await db.transaction((tx) => loadMarketFacts(tx, END, settings));
    const sampled = await db.transaction((tx) => loadMarketFacts(tx, END, settings, { sample: bound }));
    const kept = whole.accounts.map((account) => md5(account.id) <= bound);
    expect(sampled.accounts).toEqual(whole.accounts.filter((_, i) => kept[i]));
    expect(sampled.opportunities).toEqual(whole.opportunities.filter((_, i) => kept[i]));
    expect(sampled.windows).toEqual(whole.windows.filter((_, i) => kept[i]));
    const index = new Map(sampled.accounts.map((account, i) => [account.id, i]));
    expect(sampled.people).toEqual(
      whole.people
        .filter((person) => kept[person.account])
        .map((person) => ({ ...person, account: index.get(whole.accounts[person.account]?.id as string) })),
    );
    expect(sampled.people.length).toBeGreaterThan(90);
  }, 120_000);

  it('trains on the sample and hands back the facts only when it read the whole market', async () => {
    const settings = await loadScoringSettings(db);
    const sampled = await trainAsOf(db, END, settings, 120);
    expect(sampled.sampled).toBe(120);
    expect(sampled.wholeMarket).toBeNull();
    const whole = await trainAsOf(db, END, settings);
    expect(whole.sampled).toBeNull();
    expect(whole.wholeMarket?.accounts).toHaveLength(240);
    expect(sampled.models.summaries.intent.examples).toBeLessThan(whole.models.summaries.intent.examples);
  }, 120_000);

  it('scores every account on a first run that trained on a sample', async () => {
    const result = await scoreStore(db, { asOf: END, trainingAccounts: 200, accountsPerPart: 100 });
    expect(result.accounts).toBe(240);
    expect(await activeVersionIds(db)).not.toBeNull();
    const [training] = await db.query<{ examples: number }>(
      `SELECT (training->>'examples')::int AS examples FROM model_versions WHERE kind = 'profile_fit'`,
    );
    // The profile fit has one example per account it read: the sample's.
    expect(training?.examples).toBe(200);
    expect(result.summary.profile.method).not.toBeNull();
    const [scored] = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM account_scores WHERE run_id = $1 AND profile_score IS NOT NULL',
      [result.runId],
    );
    expect(scored?.n).toBe(240);
  }, 120_000);
});
