import type { MarketShape } from '../../server/src/domain/demo';
import type { MarketFacts } from '../../server/src/domain/scoring/facts';
import type { ScoringSettings } from '../../server/src/domain/scoring/settings';
import { readFacts } from '../../server/src/services/scoring/scoreRun';
import { loadScoringSettings } from '../../server/src/services/scoring/settings';
import type { Db } from '../../server/src/store/db';
import { postgresMarket } from './benchStores';

/**
 * The development markets of issue 21: the seeds and shapes changes to the models are developed
 * on (`bench:intent-dev`, `bench:stages-dev`), each 3,000 accounts with 21 months of history
 * ending 2026-11-01, in a PostgreSQL schema `lab_<seed>` of its own. The held-out judgement is
 * `bench:quality-shapes` (seeds 9301–9312, and 7101–7105, 7201–7205), never used while developing.
 */
const SHAPES: ReadonlyArray<{ seed: number; shape: MarketShape }> = [
  { seed: 6001, shape: {} },
  { seed: 6002, shape: { seller: 'hr-software', noiseResearch: 4 } },
  { seed: 6003, shape: { seller: 'developer-tools', cycleLength: 1.5 } },
  { seed: 6004, shape: { seller: 'it-security', sizeMix: 3, buyingShare: 0.6 } },
  { seed: 7001, shape: { seller: 'hr-software', committeeEngagement: 0.5 } },
  { seed: 7002, shape: { buyingShare: 1.8, cycleLength: 0.7, noiseResearch: 2 } },
];

export const DEVELOPMENT = SHAPES.map((market) => ({ ...market, accounts: 3000, months: 21 }));

/**
 * Six more development markets (seeds 6101–6106, first used 2026-12-06), for comparisons that
 * need more than six markets to tell a change from noise (`bench:intent-methods`): on one market
 * and day the intent AUC of two methods differs by ±0.01–0.03 by chance alone.
 */
const MORE_SHAPES: ReadonlyArray<{ seed: number; shape: MarketShape }> = [
  { seed: 6101, shape: { seller: 'developer-tools', buyingShare: 0.6 } },
  { seed: 6102, shape: { seller: 'hr-software', sizeMix: 2.5 } },
  { seed: 6103, shape: { seller: 'it-security', committeeEngagement: 0.4, noiseResearch: 3 } },
  { seed: 6104, shape: { cycleLength: 1.3, sizeMix: 0.5 } },
  { seed: 6105, shape: { seller: 'hr-software', buyingShare: 1.6, cycleLength: 0.8 } },
  { seed: 6106, shape: { seller: 'developer-tools', noiseResearch: 5, committeeEngagement: 1.5 } },
];

export const MORE_DEVELOPMENT = MORE_SHAPES.map((market) => ({ ...market, accounts: 3000, months: 21 }));

/** The development markets with these seeds (all of them without). */
export function developmentMarkets(seeds?: readonly number[]): typeof DEVELOPMENT {
  return DEVELOPMENT.filter((market) => seeds === undefined || seeds.includes(market.seed));
}

/** A development market's store: its schema, built when it does not hold the market yet. */
export function openDevelopmentMarket(
  market: (typeof DEVELOPMENT)[number],
  log: (line: string) => void,
): Promise<Db> {
  const { seed, shape, accounts, months } = market;
  return postgresMarket(`lab_${seed}`, { seed, accounts, backgroundScale: 1, months, shape }, log);
}

/** The accounts that opened a relevant opportunity in [from, to). */
export async function accountsOpening(db: Db, from: Date, to: Date): Promise<Set<string>> {
  const rows = await db.query<{ account_id: string }>(
    'SELECT DISTINCT account_id FROM opportunities WHERE relevant AND created_at >= $1 AND created_at < $2',
    [from, to],
  );
  return new Set(rows.map((r) => r.account_id));
}

/** The scoring days of the development benchmarks: each judged on the 90 days after it. */
export const DEVELOPMENT_DAYS = ['2026-05-05', '2026-06-19', '2026-08-03'] as const;

export interface DevelopmentDay {
  readonly market: (typeof DEVELOPMENT)[number];
  /** The day's position in DEVELOPMENT_DAYS, and the day itself. */
  readonly dayIndex: number;
  readonly day: string;
  readonly asOf: Date;
  readonly settings: ScoringSettings;
  /** The facts before the day, as a run reads them. */
  readonly facts: MarketFacts;
  /** Per account of the facts: 1 when it opened a relevant opportunity in the 90 days after the day. */
  readonly labels: Uint8Array;
}

/**
 * Visits each scoring day of each development market (all twelve, or those with `seeds`), in
 * order: the market's schema is built when missing and closed after its last day.
 */
export async function forEachDevelopmentDay(
  seeds: readonly number[] | undefined,
  log: (line: string) => void,
  visit: (day: DevelopmentDay) => void | Promise<void>,
): Promise<void> {
  for (const market of [...DEVELOPMENT, ...MORE_DEVELOPMENT]) {
    if (seeds !== undefined && !seeds.includes(market.seed)) continue;
    const db = await openDevelopmentMarket(market, log);
    try {
      const settings = await loadScoringSettings(db);
      for (const [dayIndex, day] of DEVELOPMENT_DAYS.entries()) {
        const asOf = new Date(`${day}T00:00:00Z`);
        const facts = await readFacts(db, asOf, settings, {});
        const opened = await accountsOpening(db, asOf, new Date(asOf.getTime() + 90 * 86_400_000));
        const labels = Uint8Array.from(facts.accounts, (a) => (opened.has(a.id) ? 1 : 0));
        await visit({ market, dayIndex, day, asOf, settings, facts, labels });
      }
    } finally {
      await db.close();
    }
  }
}
