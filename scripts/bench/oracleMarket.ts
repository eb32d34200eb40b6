import {
  generateMarket,
  resolveShape,
  trueInMarketProbability,
  type MarketShape,
} from '../../server/src/domain/demo';
import { BENCH_END } from './benchStores';

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
  const knobs = resolveShape(props.shape);
  const probabilities = new Map<string, number>();
  for (const item of generateMarket({
    seed: props.seed,
    accounts: props.accounts,
    endDate: BENCH_END,
    months: props.months,
    shape: props.shape,
  }))
    probabilities.set(item.account.id, trueInMarketProbability(item.truth, props.dayMs, knobs));
  return probabilities;
}
