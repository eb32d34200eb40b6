/**
 * Stores for the scoring benchmarks: a PostgreSQL schema or a PGlite folder holding a generated
 * market, built once and reused by later runs (BENCH_FRESH=1 rebuilds it).
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeMarketCsv } from '../../server/src/services/demo/writeMarketCsv';
import { importDirectory } from '../../server/src/services/import/importDirectory';
import type { MarketShape } from '../../server/src/domain/demo';
import type { Definition } from '../../server/src/domain/segments/definition';
import type { Db } from '../../server/src/store/db';
import { migrate } from '../../server/src/store/migrate';
import { openPglite } from '../../server/src/store/pglite';
import { openPostgres } from '../../server/src/store/postgres';

export const BENCH_END = new Date('2026-11-01T00:00:00Z');
export const PG_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface MarketSpec {
  seed: number;
  accounts: number;
  /** Background activity multiplier: 0.21 gives about 100 activities per account. */
  backgroundScale: number;
  /** The market's shape (domain/demo/shape.ts); default: the original demo market. */
  shape?: MarketShape;
  /** Length of the history in months (default 18). */
  months?: number;
}

/** The scoring speed markets: about 100 activities per account, ending BENCH_END. */
export const SCORING_MARKETS = {
  postgres: { seed: 9001, accounts: 100_000, backgroundScale: 0.21 },
  pglite: { seed: 9002, accounts: 20_000, backgroundScale: 0.21 },
} as const satisfies Record<string, MarketSpec>;

/** The scale market (issue 17): 1,000,000 accounts, about 100 M activities, ending BENCH_END. */
export const SCALE_MARKET: MarketSpec = { seed: 9003, accounts: 1_000_000, backgroundScale: 0.21 };

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

async function accountCount(db: Db): Promise<number> {
  const [row] = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM accounts');
  return row?.n ?? 0;
}

async function fill(db: Db, market: MarketSpec, log: (line: string) => void): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-bench-market-'));
  try {
    let started = Date.now();
    await writeMarketCsv({ dir, endDate: BENCH_END, ...market });
    log(
      `  generated ${market.accounts} accounts (seed ${market.seed}) in ${((Date.now() - started) / 1000).toFixed(0)} s`,
    );
    started = Date.now();
    const report = await importDirectory({ db, dir, reportDir: dir });
    log(`  imported ${report.importedRows} rows in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A PostgreSQL schema holding the market (reused when it already holds it). */
export async function postgresMarket(
  schema: string,
  market: MarketSpec,
  log: (line: string) => void,
): Promise<Db> {
  if (process.env.BENCH_FRESH) {
    const admin = await openPostgres({ connectionString: PG_URL });
    await admin.exec(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.close();
  }
  const db = await openPostgres({ connectionString: PG_URL, schema });
  await migrate(db);
  if ((await accountCount(db)) !== market.accounts) {
    await db.exec('TRUNCATE accounts, contacts, opportunities, activities, keywords, score_runs CASCADE');
    await fill(db, market, log);
    await db.exec('VACUUM ANALYZE');
  }
  return db;
}

/** A PGlite folder holding the market (reused when it already holds it). */
export async function pgliteMarket(
  folder: string,
  market: MarketSpec,
  log: (line: string) => void,
): Promise<Db> {
  if (process.env.BENCH_FRESH && existsSync(folder)) rmSync(folder, { recursive: true, force: true });
  const db = await openPglite(folder);
  await migrate(db);
  if ((await accountCount(db)) !== market.accounts) {
    await db.exec('TRUNCATE accounts, contacts, opportunities, activities, keywords, score_runs CASCADE');
    await fill(db, market, log);
    await db.exec('VACUUM ANALYZE');
  }
  return db;
}

/** 50 segments of every kind over the 100k scoring market (its vocabulary: demo market). */
export function fiftySegments(): { name: string; kind: 'filter' | 'list'; definition: Definition | null }[] {
  const industries = ['Software', 'Financial Services', 'Healthcare', 'Manufacturing', 'Retail'];
  const stages = ['Awareness', 'Consideration', 'Decision', 'Purchase'] as const;
  const segments: { name: string; kind: 'filter' | 'list'; definition: Definition | null }[] = [];
  for (let i = 0; i < 50; i++) {
    const industry = industries[i % industries.length] as string;
    const stage = stages[i % stages.length] as string;
    const kinds: Definition[] = [
      {
        all: [
          { field: 'industry', op: 'eq', value: industry },
          { field: 'profile_fit', op: 'gte', value: 'Moderate' },
        ],
      },
      {
        all: [
          { field: 'buying_stage', op: 'gte', value: stage },
          { field: 'employees', op: 'gte', value: 50 * (i + 1) },
        ],
      },
      { field: 'activity', type: ['web_visit'], within_days: 7 + i, op: 'gte', value: 1 + (i % 4) },
      { field: 'keyword_researched', value: ['devsecops', 'zero trust', 'siem'], within_days: 30 },
      {
        all: [
          { field: 'opportunity', status: 'open' },
          { not: { field: 'qualified', op: 'eq', value: true } },
        ],
      },
      { field: 'person', engagement_grade: ['A', 'B'], profile_fit: ['Strong'] },
      {
        any: [
          { field: 'intent_score', op: 'gte', value: 60 + (i % 30) },
          { field: 'reach', op: 'eq', value: 'High' },
        ],
      },
      {
        all: [
          { field: 'technologies', op: 'has_any', value: ['aws', 'salesforce'] },
          { field: 'country', op: 'in', value: ['US', 'GB'] },
        ],
      },
      { field: 'opportunity', status: 'won', relevant: true, within_days: 365 },
      {
        all: [
          { field: 'name', op: 'contains', value: String.fromCharCode(97 + (i % 26)) },
          { field: 'qualified', op: 'eq', value: true },
        ],
      },
    ];
    segments.push({ name: `bench ${i}`, kind: 'filter', definition: kinds[i % kinds.length] as Definition });
  }
  return segments;
}
