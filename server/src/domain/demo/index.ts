/** The demo market generator: the test bed of the scoring models and the data of `signalfit demo`. */
export { DEFAULT_MONTHS, generateMarket, generateMarketAccount } from './market';
export type { AccountTruth, MarketAccount, MarketOptions, TruthCycle } from './market';
export { demoKeywords, marketShapeSchema, resolveShape } from './shape';
export type { MarketShape, ResolvedShape } from './shape';
export { SELLER_KINDS, type SellerKindId } from './sellers';
export type { FitTier } from './trueFit';
export { trueInMarketProbability } from './oracle';
