import type { OpportunityRow } from '../canonical';
import type { PlannedCycle } from './buyingCycle';
import type { Random } from './random';
import { DAY_MS, type MarketWindow } from './time';

/**
 * Opportunities of one account.
 *
 * Relevant (type New Business, amount > 0, `relevant` true): one per buying cycle that is not
 * stalled and opens inside the window, created on the cycle's open date.
 * - amount (USD): 12,000 × (employees / 200)^0.55 × LogNormal(0, 0.5²), in 500s, 5,000…1,500,000;
 * - closes 30–150 days (uniform) after it opens if that is before the window's end, won with
 *   probability 0.2 + 0.35 × true_fit; otherwise it is still open, its stage set by its age.
 *
 * Not relevant (`relevant` false), unrelated to buying signals:
 * - existing customers (4% + 8% × true_fit of accounts) renew every year: a Renewal opportunity
 *   created 60 days before the contract anniversary, closed on it (88% won), amount = ARR
 *   (8,000 × (employees / 100)^0.5 × LogNormal(0, 0.4²));
 * - customers also expand: Existing Business opportunities, Poisson(0.35 per year), amount
 *   10–50% of ARR, closed 20–90 days later (60% won);
 * - any account may run a free pilot: New Business with amount 0, Poisson((0.5 + true_fit) × 0.03
 *   per year), closed 14–45 days later (50% won).
 *
 * Opportunity ids are handed out in creation order.
 */

export interface DraftOpportunity {
  /** The buying cycle it ends, for relevant opportunities. */
  readonly cycle: PlannedCycle | null;
  readonly row: Omit<OpportunityRow, 'id' | 'account_id'>;
}

/** A sales engagement window for deal activities: from creation to close (or the window's end). */
export interface DealPeriod {
  readonly opportunityRelevant: boolean;
  readonly startMs: number;
  readonly endMs: number;
  readonly won: boolean;
}

const YEAR_MS = 365 * DAY_MS;

function openStage(ageDays: number): string {
  if (ageDays < 21) return 'Qualification';
  if (ageDays < 50) return 'Discovery';
  if (ageDays < 90) return 'Proposal';
  return 'Negotiation';
}

function closing(
  random: Random,
  createdMs: number,
  closeAfterDays: number,
  winProbability: number,
  window: MarketWindow,
) {
  const closedMs = Math.floor(createdMs + closeAfterDays * DAY_MS);
  if (closedMs >= window.endMs) {
    const ageDays = (window.endMs - createdMs) / DAY_MS;
    return { stage: openStage(ageDays), is_closed: false, is_won: false, closed_at: null };
  }
  const won = random.chance(winProbability);
  return {
    stage: won ? 'Closed Won' : 'Closed Lost',
    is_closed: true,
    is_won: won,
    closed_at: new Date(closedMs),
  };
}

function inWindow(timeMs: number, window: MarketWindow): boolean {
  return timeMs >= window.startMs && timeMs < window.endMs;
}

function roundTo(value: number, step: number): number {
  return Math.round(value / step) * step;
}

export function draftOpportunities(
  random: Random,
  accountName: string,
  employees: number,
  trueFit: number,
  cycles: readonly PlannedCycle[],
  window: MarketWindow,
): { drafts: DraftOpportunity[]; isCustomer: boolean } {
  const drafts: DraftOpportunity[] = [];
  const edition = employees < 200 ? 'Team' : employees < 2000 ? 'Business' : 'Enterprise';

  for (const cycle of cycles) {
    if (cycle.stallAtMs !== null || !inWindow(cycle.opensAtMs, window)) continue;
    const amount = Math.min(
      1_500_000,
      Math.max(5000, roundTo(12_000 * (employees / 200) ** 0.55 * random.logNormal(0, 0.5), 500)),
    );
    drafts.push({
      cycle,
      row: {
        name: `${accountName} - Signalfit Shield ${edition}`,
        type: 'New Business',
        amount,
        currency: 'USD',
        relevant: true,
        created_at: new Date(cycle.opensAtMs),
        ...closing(random, cycle.opensAtMs, random.uniform(30, 150), 0.2 + 0.35 * trueFit, window),
      },
    });
  }

  const windowYears = (window.endMs - window.startMs) / YEAR_MS;
  const isCustomer = random.chance(0.04 + 0.08 * trueFit);
  if (isCustomer) {
    const arr = Math.max(3000, roundTo(8000 * (employees / 100) ** 0.5 * random.logNormal(0, 0.4), 100));
    // Anniversaries from a year before the window to 60 days after it, so every renewal created in the window is seen.
    for (
      let anniversaryMs = window.startMs - YEAR_MS + random.uniform(0, YEAR_MS);
      anniversaryMs < window.endMs + 60 * DAY_MS;
      anniversaryMs += YEAR_MS
    ) {
      const createdMs = Math.floor(anniversaryMs - 60 * DAY_MS);
      if (!inWindow(createdMs, window)) continue;
      drafts.push({
        cycle: null,
        row: {
          name: `${accountName} - Renewal ${new Date(anniversaryMs).getUTCFullYear()}`,
          type: 'Renewal',
          amount: arr,
          currency: 'USD',
          relevant: false,
          created_at: new Date(createdMs),
          ...closing(random, createdMs, 60, 0.88, window),
        },
      });
    }
    const expansions = random.poisson(0.35 * windowYears);
    for (let i = 0; i < expansions; i++) {
      const createdMs = Math.floor(random.uniform(window.startMs, window.endMs));
      drafts.push({
        cycle: null,
        row: {
          name: `${accountName} - Seat expansion`,
          type: 'Existing Business',
          amount: roundTo(arr * random.uniform(0.1, 0.5), 100),
          currency: 'USD',
          relevant: false,
          created_at: new Date(createdMs),
          ...closing(random, createdMs, random.uniform(20, 90), 0.6, window),
        },
      });
    }
  }

  const pilots = random.poisson((0.5 + trueFit) * 0.03 * windowYears);
  for (let i = 0; i < pilots; i++) {
    const createdMs = Math.floor(random.uniform(window.startMs, window.endMs));
    drafts.push({
      cycle: null,
      row: {
        name: `${accountName} - Shield pilot`,
        type: 'New Business',
        amount: 0,
        currency: 'USD',
        relevant: false,
        created_at: new Date(createdMs),
        ...closing(random, createdMs, random.uniform(14, 45), 0.5, window),
      },
    });
  }

  // Stable sort: ties keep drafting order, so the order (and the ids) are deterministic.
  drafts.sort((a, b) => a.row.created_at.getTime() - b.row.created_at.getTime());
  return { drafts, isCustomer };
}

export function dealPeriodOf(draft: DraftOpportunity, window: MarketWindow): DealPeriod {
  return {
    opportunityRelevant: draft.row.relevant === true,
    startMs: draft.row.created_at.getTime(),
    endMs: draft.row.closed_at?.getTime() ?? window.endMs,
    won: draft.row.is_won === true,
  };
}
