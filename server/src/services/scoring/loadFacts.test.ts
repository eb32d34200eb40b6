import { applyModels } from '../../domain/scoring/applyModels';
import type { MarketFacts } from '../../domain/scoring/facts';
import { trainModels } from '../../domain/scoring/trainModels';
import { RECORD, WINDOW_COUNT, type WindowActivity } from '../../domain/scoring/windowActivity';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedDemoMarket } from '../demo/seedDemoMarket';
import { loadMarketFacts } from './loadFacts';
import { computeScores } from './scoreRun';
import { loadScoringSettings } from './settings';

const END = new Date('2026-11-01T00:00:00Z');

/** A window with its event lists in a set order (the store lists events in none). */
function comparable(window: WindowActivity | undefined) {
  if (window === undefined) return undefined;
  const sorted = (list: string | null) => (list === null ? null : list.split(RECORD).sort());
  return {
    ...window,
    urlList: sorted(window.urlList),
    researchList: sorted(window.researchList),
    engagementList: sorted(window.engagementList),
  };
}

describe.each(testStoreTargets())('reading the facts for applying only, on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let all: MarketFacts;
  let latest: MarketFacts;

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 17, accounts: 300, endDate: END });
    const settings = await loadScoringSettings(db);
    all = await db.transaction((tx) => loadMarketFacts(tx, END, settings));
    latest = await db.transaction((tx) => loadMarketFacts(tx, END, settings, { windows: 1 }));
  }, 120_000);

  it('reads window 0 exactly as a full read does, and no other window', () => {
    expect(all.windowCount).toBe(WINDOW_COUNT);
    expect(latest.windowCount).toBe(1);
    expect(latest.accounts).toEqual(all.accounts);
    expect(latest.opportunities).toEqual(all.opportunities);
    expect(latest.people).toEqual(all.people);
    let older = 0;
    all.windows.forEach((windows, account) => {
      expect(latest.windows[account]?.length ?? 0).toBeLessThanOrEqual(1);
      expect(comparable(latest.windows[account]?.[0])).toEqual(comparable(windows[0]));
      older += windows.slice(1).filter((w) => w !== undefined).length;
    });
    // The full read has older windows to leave out, and the latest has events of every kind.
    expect(older).toBeGreaterThan(0);
    const zero = latest.windows.map((w) => w[0]);
    for (const list of ['urlList', 'researchList', 'engagementList'] as const)
      expect(zero.some((w) => w?.[list] != null)).toBe(true);
  });

  it('gives the very same scores: the same models applied to facts read both ways', async () => {
    const settings = await loadScoringSettings(db);
    const models = trainModels(all, settings);
    expect(models.intent).not.toBeNull();
    const full = applyModels(all, settings, models, 'label');
    expect(applyModels(latest, settings, models, 'label')).toEqual(full);
    // The service's path: computeScores with models reads one window (on PostgreSQL on two
    // connections sharing a snapshot).
    const { scores } = await computeScores(db, END, settings, { models, label: 'label' });
    expect(scores).toEqual(full);
  }, 120_000);

  it('refuses to train on facts read for applying', async () => {
    const settings = await loadScoringSettings(db);
    expect(() => trainModels(latest, settings)).toThrow(/needs all 5 windows/);
    await expect(db.transaction((tx) => loadMarketFacts(tx, END, settings, { windows: 0 }))).rejects.toThrow(
      /from 1 to 5/,
    );
  });
});
