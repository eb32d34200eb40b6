import type { AccountRow, ActivityRow, ContactRow, OpportunityRow } from '../canonical';
import { drawAccount, type AccountContext } from './account';
import { ActivityBuffer } from './activityBuffer';
import { addBackgroundActivities } from './backgroundActivity';
import { planBuyingCycles } from './buyingCycle';
import { addCycleActivities } from './cycleActivity';
import { addDealActivities } from './dealActivity';
import { DemoIdAllocator, podForSeed } from './demoIds';
import { companyNamingForSeed } from './names';
import { dealPeriodOf, draftOpportunities } from './opportunities';
import { drawPeople } from './people';
import { Random } from './random';
import { resolveShape, type MarketShape } from './shape';
import { marketWindow } from './time';
import { drawTrueFit, type FitTier } from './trueFit';

/**
 * The demo market: a deterministic, streaming generator of a realistic B2B market for a
 * developer-security product ("Signalfit Shield"), with the hidden truth the models should find.
 *
 * Per account, in this order (each part from its own seeded stream, random.ts):
 * 1. firmographics and technographics (account.ts) and the hidden true fit (trueFit.ts);
 * 2. people, 2 + 1.8·ln(employees) on average (people.ts);
 * 3. buying cycles, more frequent with fit (buyingCycle.ts);
 * 4. opportunities: one relevant per opened cycle, plus renewals, expansions, pilots (opportunities.ts);
 * 5. activities: background noise growing with size (backgroundActivity.ts), the cycles' ramp of
 *    research, visits and committee engagement (cycleActivity.ts), sales work on deals (dealActivity.ts).
 *
 * The shape (shape.ts) changes the seller (its keywords, ideal customer and buying committee),
 * the share of the market buying, the cycles' length, noise research, the size mix and how much
 * the committee engages; the default shape is the original market.
 *
 * Volume (measured, default shape, seed 1, 5,000 accounts, 18 months): 370 activities per account on average,
 * from ~150 at companies under 20 employees through ~390 at 100–1,000 to ~700 above 50,000;
 * 11.7 people and 0.39 opportunities (0.21 relevant) per account. Generation runs at ~950,000
 * activities a second on one core (Node 20), with flat memory.
 * Everything happens in [endDate − months, endDate): no activity or opportunity at or after
 * endDate; cycles that would open later are only in the truth.
 */

export interface MarketOptions {
  readonly seed: number;
  readonly accounts: number;
  /** Exclusive end of the generated history ("now" for the demo). */
  readonly endDate: Date;
  /** Length of the history in calendar months; default 18. */
  readonly months?: number;
  /**
   * Multiplier of the background activity rates (backgroundActivity.ts); default 1, the demo.
   * Benchmarks lower it to reach a given number of activities per account; the buying cycles,
   * and so what the models can learn, stay the same.
   */
  readonly backgroundScale?: number;
  /** The market's shape (shape.ts); default: the original developer-security demo market. */
  readonly shape?: MarketShape;
}

export const DEFAULT_MONTHS = 18;

export interface TruthCycle {
  /** First buying signal (research, visits); equals opens_at for a cold cycle. */
  readonly signal_start: Date;
  /** When the relevant opportunity opens (or would have opened, for a stalled cycle). */
  readonly opens_at: Date;
  /** The relevant opportunity; null when stalled or when it opens at or after endDate. */
  readonly opportunity_id: string | null;
  readonly stalled: boolean;
  /** The opportunity opens with weak or no prior signal. */
  readonly cold: boolean;
}

export interface AccountTruth {
  readonly account_id: string;
  /** 0–1, 4 decimals. */
  readonly true_fit: number;
  readonly fit_tier: FitTier;
  readonly cycles: readonly TruthCycle[];
}

export interface MarketAccount {
  readonly account: AccountRow;
  readonly contacts: ContactRow[];
  readonly opportunities: OpportunityRow[];
  /** Sorted by occurred_at. */
  readonly activities: ActivityRow[];
  readonly truth: AccountTruth;
}

interface MarketContext extends AccountContext {
  readonly seed: number;
  readonly pod: string;
  readonly backgroundScale: number;
}

function marketContext(options: Omit<MarketOptions, 'accounts'>): MarketContext {
  const window = marketWindow(options.endDate, options.months ?? DEFAULT_MONTHS);
  return {
    seed: options.seed,
    pod: podForSeed(options.seed),
    naming: companyNamingForSeed(options.seed),
    window,
    backgroundScale: options.backgroundScale ?? 1,
    shape: resolveShape(options.shape),
  };
}

function buildAccount(context: MarketContext, index: number): MarketAccount {
  const { seed, window } = context;
  const ids = new DemoIdAllocator(context.pod, index);
  const accountId = ids.accountId();

  const accountRandom = Random.forStream(seed, index, 'account');
  const { row: account, profile } = drawAccount(accountRandom, context, index, accountId);
  const { trueFit, tier } = drawTrueFit(accountRandom, profile, context.shape.seller);

  const people = drawPeople(
    Random.forStream(seed, index, 'people'),
    accountId,
    account.domain ?? `${accountId}.example`,
    account.created_at?.getTime() ?? window.startMs,
    profile,
    ids,
    window,
    context.shape.seller.committeeFunctions,
  );
  const cycles = planBuyingCycles(
    Random.forStream(seed, index, 'cycles'),
    trueFit,
    profile.sizeScale,
    window,
    context.shape,
  );
  const { drafts, isCustomer } = draftOpportunities(
    Random.forStream(seed, index, 'opportunities'),
    account.name ?? accountId,
    profile.employees,
    trueFit,
    cycles,
    window,
  );
  const opportunities = drafts.map((draft): OpportunityRow => ({
    id: ids.next('006'),
    account_id: accountId,
    ...draft.row,
  }));
  const opportunityIdOfCycle = new Map(
    drafts.flatMap((draft, i) =>
      draft.cycle === null ? [] : [[draft.cycle, opportunities[i]?.id ?? null] as const],
    ),
  );

  const activityRandom = Random.forStream(seed, index, 'activities');
  const buffer = new ActivityBuffer(window);
  addBackgroundActivities(
    activityRandom,
    buffer,
    people,
    profile.sizeScale * context.backgroundScale,
    isCustomer,
    window,
    context.shape,
  );
  for (const cycle of cycles) addCycleActivities(activityRandom, cycle, people, buffer, context.shape);
  for (const draft of drafts) addDealActivities(activityRandom, dealPeriodOf(draft, window), people, buffer);

  const truth: AccountTruth = {
    account_id: accountId,
    true_fit: trueFit,
    fit_tier: tier,
    cycles: cycles.map((cycle) => ({
      signal_start: new Date(cycle.signalStartMs),
      opens_at: new Date(cycle.opensAtMs),
      opportunity_id: opportunityIdOfCycle.get(cycle) ?? null,
      stalled: cycle.stallAtMs !== null,
      cold: cycle.cold,
    })),
  };
  return {
    account,
    contacts: people.people.map((person) => person.row),
    opportunities,
    activities: buffer.toRows(accountId, ids),
    truth,
  };
}

function checkAccountCount(accounts: number): void {
  if (!Number.isSafeInteger(accounts) || accounts < 0)
    throw new Error(`accounts must be a non-negative integer, got ${accounts}`);
}

function* accountsOf(context: MarketContext, accounts: number): Generator<MarketAccount> {
  for (let index = 0; index < accounts; index++) yield buildAccount(context, index);
}

/**
 * Yields the market's accounts one at a time (memory stays flat however many there are).
 * Same options → identical output; account k is the same whatever `accounts` is.
 * Bad options throw here, not at the first `next()`.
 */
export function generateMarket(options: MarketOptions): Generator<MarketAccount> {
  checkAccountCount(options.accounts);
  return accountsOf(marketContext(options), options.accounts);
}

/** Account `index` (0-based) of the market with these options, without generating the others. */
export function generateMarketAccount(
  options: Omit<MarketOptions, 'accounts'>,
  index: number,
): MarketAccount {
  checkAccountCount(index);
  return buildAccount(marketContext(options), index);
}
