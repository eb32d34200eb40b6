import { applyModels } from '../../domain/scoring/applyModels';
import type { MarketFacts } from '../../domain/scoring/facts';
import { trainModels } from '../../domain/scoring/trainModels';
import {
  engagementEvents,
  RECORD,
  WINDOW_COUNT,
  type WindowActivity,
} from '../../domain/scoring/windowActivity';
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

describe.each(testStoreTargets())('reading the scoring facts on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let all: MarketFacts;
  let latest: MarketFacts;

  beforeAll(async () => {
    await seedDemoMarket({ db, seed: 17, accounts: 300, endDate: END });
    // Values the COPY text format escapes or that are easy to misread.
    await db.run(
      `INSERT INTO accounts (id, industry, employees, annual_revenue, country, naics, technologies, created_at)
       VALUES ('zz-odd-1', $1, NULL, 1234567.89, 'DE', NULL, $2, '1969-12-31 23:59:58.25+00'),
              ('zz-odd-2', NULL, 12, NULL, NULL, '5112', '{}', NULL)`,
      ['Soft\tware\n "X"', ['a,b', 'quote"d', 'back\\slash', 'tab\there', 'NULL', 'ünï', '{brace}']],
    );
    await db.run(
      `INSERT INTO contacts (id, account_id, title, job_level, job_function)
       VALUES ('zz-c-1', 'zz-odd-1', $1, NULL, 'null'), ('zz-c-2', 'zz-odd-2', NULL, 'VP', NULL)`,
      ['Head of \\ "R&D"\tEMEA\n'],
    );
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

  it('reads accounts and people as the store holds them', async () => {
    const accounts = await db.query<{
      id: string;
      created_at: Date | null;
      industry: string | null;
      employees: number | null;
      annual_revenue: string | null;
      country: string | null;
      naics: string | null;
      technologies: string[];
    }>(
      `SELECT id, created_at, industry, employees, annual_revenue, country, naics, technologies FROM accounts
        WHERE created_at IS NULL OR created_at < $1 ORDER BY id COLLATE "C"`,
      [END],
    );
    expect(all.accounts).toEqual(
      accounts.map((row) => ({
        id: row.id,
        createdMs: row.created_at === null ? null : new Date(row.created_at).getTime(),
        profile: {
          industry: row.industry,
          employees: row.employees,
          annual_revenue: row.annual_revenue === null ? null : Number(row.annual_revenue),
          country: row.country,
          naics: row.naics,
          technologies: row.technologies,
        },
      })),
    );
    const odd = all.accounts.find((a) => a.id === 'zz-odd-1');
    expect(odd?.createdMs).toBe(-1750);
    expect(odd?.profile.technologies).toContain('back\\slash');
    const people = await db.query<{
      id: string;
      account_id: string;
      job_level: string | null;
      job_function: string | null;
      title: string | null;
    }>(
      `SELECT id, account_id, job_level, job_function, title FROM contacts
        WHERE created_at IS NULL OR created_at < $1 ORDER BY id COLLATE "C"`,
      [END],
    );
    const index = new Map(all.accounts.map((a, i) => [a.id, i]));
    expect(all.people).toEqual(
      people.map((row) => ({
        id: row.id,
        account: index.get(row.account_id),
        job: { job_level: row.job_level, job_function: row.job_function, title: row.title },
      })),
    );
    expect(all.people.find((p) => p.id === 'zz-c-1')?.job).toEqual({
      job_level: null,
      job_function: 'null',
      title: 'Head of \\ "R&D"\tEMEA\n',
    });
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

  it('reads only the engaged people when asked, and scores them as a full read does', async () => {
    const settings = await loadScoringSettings(db);
    const engaged = await db.transaction((tx) =>
      loadMarketFacts(tx, END, settings, { windows: 1, people: 'engaged' }),
    );
    const ids = new Set(all.people.map((p) => p.id));
    const expected = new Set(
      latest.windows
        .flatMap((w) => engagementEvents(w[0]).map((e) => e.contactId))
        .filter((id) => ids.has(id)),
    );
    expect(expected.size).toBeGreaterThan(0);
    expect(expected.size).toBeLessThan(all.people.length);
    expect(engaged.people.map((p) => p.id)).toEqual(
      all.people.map((p) => p.id).filter((id) => expected.has(id)),
    );
    const models = trainModels(all, settings);
    const full = applyModels(latest, settings, models, 'label');
    const part = applyModels(engaged, settings, models, 'label');
    expect(part.accounts).toEqual(full.accounts);
    expect(part.people).toEqual(full.people.filter((p) => expected.has(p.contactId)));
    await expect(
      db.transaction((tx) => loadMarketFacts(tx, END, settings, { people: 'engaged' })),
    ).rejects.toThrow(/needs windows: 1/);
  }, 120_000);

  it('refuses to train on facts read for applying', async () => {
    const settings = await loadScoringSettings(db);
    expect(() => trainModels(latest, settings)).toThrow(/needs all 5 windows/);
    await expect(db.transaction((tx) => loadMarketFacts(tx, END, settings, { windows: 0 }))).rejects.toThrow(
      /from 1 to 5/,
    );
  });
});
