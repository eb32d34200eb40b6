import {
  generateMarket,
  resolveShape,
  trueInMarketProbability,
  type AccountTruth,
  type MarketShape,
} from '../../server/src/domain/demo';
import { BENCH_END } from './benchStores';

/** A generated market's hidden truth, by account id, with its shape's knobs. */
export interface MarketTruth {
  readonly truths: ReadonlyMap<string, AccountTruth>;
  readonly knobs: ReturnType<typeof resolveShape>;
}

/** Generates the market once for its truth (the oracle of any day then costs no generation). */
export function marketTruth(props: {
  seed: number;
  accounts: number;
  months: number;
  shape: MarketShape;
}): MarketTruth {
  const truths = new Map<string, AccountTruth>();
  for (const item of generateMarket({
    seed: props.seed,
    accounts: props.accounts,
    endDate: BENCH_END,
    months: props.months,
    shape: props.shape,
  }))
    truths.set(item.account.id, item.truth);
  return { truths, knobs: resolveShape(props.shape) };
}

/** The generator's true in-market probability of every account of the market on `dayMs`, by account id. */
export function oracleOn(market: MarketTruth, dayMs: number): Map<string, number> {
  const probabilities = new Map<string, number>();
  for (const [id, truth] of market.truths)
    probabilities.set(id, trueInMarketProbability(truth, dayMs, market.knobs));
  return probabilities;
}

/**
 * The generator's true in-market probability (domain/demo/oracle.ts) of every account of a
 * generated market on `dayMs`, by account id: the oracle the benchmarks set beside the engine.
 */
export function oracleProbabilities(props: {
  seed: number;
  accounts: number;
  months: number;
  shape: MarketShape;
  dayMs: number;
}): Map<string, number> {
  return oracleOn(marketTruth(props), props.dayMs);
}
