/** The demo market generator: the test bed of the scoring models and the data of `signalfit demo`. */
export { DEFAULT_MONTHS, generateMarket, generateMarketAccount } from './market';
export type { AccountTruth, MarketAccount, MarketOptions, TruthCycle } from './market';
export { demoKeywords } from './keywords';
export type { FitTier } from './trueFit';
