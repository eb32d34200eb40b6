/**
 * What the models know of an opportunity: when it was created and closed, whether it was won,
 * and whether it is relevant (it counts for the models).
 */
export interface OpportunityFact {
  createdMs: number;
  closedMs: number | null;
  won: boolean;
  relevant: boolean;
}

/**
 * The relevant-opportunity rule used when the data has no `relevant` value: the type is one of
 * `types` (case-insensitive) and the amount is above `minimumAmount`.
 */
export interface RelevantOpportunityRule {
  types: string[];
  minimumAmount: number;
}

export const DEFAULT_RELEVANT_RULE: RelevantOpportunityRule = { types: ['New Business'], minimumAmount: 0 };

export function isRelevantOpportunity(
  opportunity: { relevant: boolean | null; type: string | null; amount: number | null },
  rule: RelevantOpportunityRule,
): boolean {
  if (opportunity.relevant !== null) return opportunity.relevant;
  const type = opportunity.type?.toLowerCase();
  return (
    rule.types.some((candidate) => candidate.toLowerCase() === type) &&
    opportunity.amount !== null &&
    opportunity.amount > rule.minimumAmount
  );
}

export const DAY_MS = 86_400_000;
export const HORIZON_DAYS = 90;

/** Whether a relevant opportunity was created in [atMs, atMs + 90 days): the intent label. */
export function opensWithinHorizon(opportunities: readonly OpportunityFact[], atMs: number): boolean {
  const endMs = atMs + HORIZON_DAYS * DAY_MS;
  return opportunities.some((o) => o.relevant && o.createdMs >= atMs && o.createdMs < endMs);
}

/** Whether a relevant opportunity was created before `atMs` (the profile-fit label). */
export function openedBefore(opportunities: readonly OpportunityFact[], atMs: number): boolean {
  return opportunities.some((o) => o.relevant && o.createdMs < atMs);
}
