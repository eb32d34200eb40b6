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

/**
 * The leakage test: scores as of T must be the same whether or not the store holds facts from
 * T on. One store gets a whole generated market (18 months up to November); the other gets what
 * was known on T = July 1st: rows created before T, activities before T, and opportunities as
 * they stood on T (one that closed later is still open there).
 */
const END = new Date('2026-11-01T00:00:00Z');
const T = new Date('2026-07-01T00:00:00Z');

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

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-leakage-'));
    await writeMarketCsv({ dir: path.join(dir, 'all'), seed: 23, accounts: 500, endDate: END });
    asKnownOnT(path.join(dir, 'all'), path.join(dir, 'known'));
  }, 120_000);

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
    const everything = await storeOf('all');
    const knownOnT = await storeOf('known');
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
});
