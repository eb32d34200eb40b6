import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../store/db';
import { testStoreTargets } from '../../store/testing';
import { writeMarketCsv } from '../demo/writeMarketCsv';
import { importDirectory } from '../import/importDirectory';
import { computeScores } from './scoreRun';
import { scoreStore } from './scoreStore';

/**
 * The leakage test: scores as of T must be the same whether or not the store holds facts from
 * T on. One store gets a whole generated market (18 months up to November); the other gets what
 * was known on T = July 1st: rows created before T, activities before T, and opportunities as
 * they stood on T (one that closed later is still open there).
 */
const END = new Date('2026-11-01T00:00:00Z');
const T = new Date('2026-07-01T00:00:00Z');
/** When the versions applied on T were trained (docs/models.md: scoring applies versions trained earlier). */
const TRAINED = new Date('2026-06-01T00:00:00Z');

type Row = Record<string, string>;

function before(value: string | undefined): boolean {
  return value === undefined || value === '' || Date.parse(value) < T.getTime();
}

function rewrite(from: string, to: string, file: string, keep: (row: Row) => Row | null): void {
  const rows = parse(readFileSync(path.join(from, file)), { columns: true }) as Row[];
  const kept = rows.map(keep).filter((row): row is Row => row !== null);
  writeFileSync(path.join(to, file), stringify(kept, { header: true, columns: Object.keys(rows[0] ?? {}) }));
}

function asKnownOnT(from: string, to: string): void {
  mkdirSync(to);
  rewrite(from, to, 'keywords.csv', (row) => row);
  rewrite(from, to, 'accounts.csv', (row) => (before(row.created_at) ? row : null));
  rewrite(from, to, 'contacts.csv', (row) => (before(row.created_at) ? row : null));
  rewrite(from, to, 'activities.csv', (row) => (before(row.occurred_at) ? row : null));
  rewrite(from, to, 'opportunities.csv', (row) => {
    if (!before(row.created_at)) return null;
    if (before(row.closed_at)) return row;
    return { ...row, closed_at: '', is_closed: 'false', is_won: 'false', stage: 'Discovery' };
  });
}

describe.each(testStoreTargets())('leakage on $name', (target) => {
  let dir: string;
  const stores: Db[] = [];
  let everything: Db;
  let knownOnT: Db;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-leakage-'));
    await writeMarketCsv({ dir: path.join(dir, 'all'), seed: 23, accounts: 500, endDate: END });
    asKnownOnT(path.join(dir, 'all'), path.join(dir, 'known'));
    everything = await storeOf('all');
    knownOnT = await storeOf('known');
  }, 240_000);

  afterAll(async () => {
    await Promise.all(stores.map((db) => db.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  async function storeOf(folder: string): Promise<Db> {
    const db = await target.open();
    stores.push(db);
    await importDirectory({ db, dir: path.join(dir, folder), reportDir: dir });
    return db;
  }

  it('scores as of T are identical with and without the facts from T on', async () => {
    const [later] = await everything.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM activities WHERE occurred_at >= $1',
      [T],
    );
    expect(later?.n).toBeGreaterThan(10_000); // the test means something only if there is a future to leak

    const withFuture = await computeScores(everything, T);
    const withoutFuture = await computeScores(knownOnT, T);
    expect(withFuture.scores.summary.intent.fallback).toBeNull();
    expect(withFuture.scores.accounts.length).toBeGreaterThan(300);
    expect(withoutFuture.scores).toEqual(withFuture.scores);
  }, 240_000);

  it('model versions and the scores that apply them are identical with and without the facts from T on', async () => {
    // Each store's first run trains its versions (before T) and activates them; the run on T applies them.
    for (const db of [everything, knownOnT]) {
      await scoreStore(db, { asOf: TRAINED });
      await scoreStore(db, { asOf: T });
    }
    const versionsOf = (db: Db) =>
      db.query<{ kind: string; auc: number | null; params: string }>(
        'SELECT kind, auc, params::text AS params FROM model_versions ORDER BY id',
      );
    const trained = await versionsOf(everything);
    expect(trained).toHaveLength(4);
    expect(trained[0]?.auc).not.toBeNull(); // an intent model was trained: the comparison means something
    expect(await versionsOf(knownOnT)).toEqual(trained);
    const runOnT = (db: Db) =>
      db.query(
        `SELECT s.account_id, s.intent_score, s.buying_stage, s.profile_score, s.profile_fit, s.reach, s.qualified,
                to_char(s.qualified_since, 'YYYY-MM-DD') AS qualified_since, s.reasons
           FROM account_scores s JOIN score_runs r ON r.id = s.run_id
          WHERE r.as_of = $1 ORDER BY s.account_id`,
        [T],
      );
    const peopleOnT = (db: Db) =>
      db.query(
        `SELECT c.contact_id, c.engagement_score, c.engagement_grade, c.profile_score, c.profile_fit, c.persona
           FROM contact_scores c JOIN score_runs r ON r.id = c.run_id
          WHERE r.as_of = $1 ORDER BY c.contact_id`,
        [T],
      );
    const accounts = await runOnT(everything);
    expect(accounts.length).toBeGreaterThan(300);
    expect(await runOnT(knownOnT)).toEqual(accounts);
    expect(await peopleOnT(knownOnT)).toEqual(await peopleOnT(everything));
  }, 240_000);
});
