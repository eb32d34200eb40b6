import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { createMatchCounter } from './matchCounts';
import { listFixture, seedListFixture } from './testing';

describe.each(testStoreTargets())('match counts of the accounts list on $name', (target) => {
  let db: Db;
  let runId: number;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await seedListFixture(db);
    const [run] = await db.query<{ id: string }>(
      "SELECT id FROM score_runs WHERE status = 'complete' ORDER BY as_of DESC LIMIT 1",
    );
    runId = Number(run!.id);
  });

  it('counts any filter combination from the grouped run, and an import once the minute is up', async () => {
    let now = 0;
    const counter = createMatchCounter(60_000, () => now);
    expect(await counter.count(db, runId, {})).toBe(23);
    expect(await counter.count(db, runId, { industry: ['Software'] })).toBe(7);
    const fixture = listFixture();
    expect(await counter.count(db, runId, { qualified: true, fit: ['Strong', 'Moderate'] })).toBe(
      fixture.filter((a) => a.scores?.qualified && ['Strong', 'Moderate'].includes(a.scores.profileFit ?? ''))
        .length,
    );
    expect(
      await counter.count(db, runId, { stage: ['Decision'], industry: ['Healthcare', 'Software'] }),
    ).toBe(
      fixture.filter(
        (a) => a.scores?.buyingStage === 'Decision' && ['Healthcare', 'Software'].includes(a.industry ?? ''),
      ).length,
    );

    await db.query("INSERT INTO accounts (id, name, industry) VALUES ('acct-new', 'Newco', 'Software')");
    now = 59_000;
    expect(await counter.count(db, runId, {})).toBe(23); // still the counts of a minute ago
    now = 61_000;
    expect(await counter.count(db, runId, {})).toBe(23); // stale answer, refresh started
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(await counter.count(db, runId, {})).toBe(24);
    expect(await counter.count(db, runId, { industry: ['Software'], qualified: false })).toBe(
      (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM accounts a JOIN account_scores s ON s.account_id = a.id AND s.run_id = $1
          WHERE a.industry = 'Software' AND NOT s.qualified`,
          [runId],
        )
      )[0]!.n,
    );
  });

  it('counts a new run at once', async () => {
    const counter = createMatchCounter(60_000, () => 0);
    expect(await counter.count(db, null, { qualified: true })).toBe(0);
    expect(await counter.count(db, runId, { qualified: true })).toBeGreaterThan(0);
  });
});
