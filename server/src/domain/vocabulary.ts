/**
 * The words the product speaks in, each list declared once. Scoring, the store's queries, the
 * HTTP schemas and the dashboard all take them from here; the dashboard gets a generated copy
 * (server/ui/src/modules/sf/vocabulary/vocabulary.js, written by `node bin/tsx.js
 * scripts/ui-vocabulary.ts`), since its bundler reads JavaScript only. The store's CHECK
 * constraints (migration 0002) and sort indexes (0006) hold the same values; tests keep them equal.
 * Lists run in their natural order: stages from first to last, the others from best to worst
 * except reach, which runs from least to most.
 */

/** An account's place in its buying cycle (domain/scoring/stages.ts: how the lift places it). */
export const BUYING_STAGES = ['Target', 'Awareness', 'Consideration', 'Decision', 'Purchase'] as const;
export type BuyingStage = (typeof BUYING_STAGES)[number];

/** How well an account or person matches the customers who bought (domain/scoring/bands.ts). */
export const FIT_BANDS = ['Strong', 'Moderate', 'Weak'] as const;
export type FitBand = (typeof FIT_BANDS)[number];

/** How much our sales and marketing touched an account lately (domain/scoring/reach.ts). */
export const REACH_LEVELS = ['Low', 'Medium', 'High'] as const;
export type ReachLevel = (typeof REACH_LEVELS)[number];

/** A person's engagement, A the most engaged (domain/scoring/engagement.ts). */
export const ENGAGEMENT_GRADES = ['A', 'B', 'C', 'D'] as const;
export type EngagementGrade = (typeof ENGAGEMENT_GRADES)[number];

/**
 * Roles of standalone-app users. A user signed in through the Salesforce panel has no role: the
 * custom permissions of the embed token decide what they may do.
 */
export const ROLES = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'] as const;
export type Role = (typeof ROLES)[number];

/**
 * The role a person typed (a CLI argument, a SCIM attribute, an identity provider's claim map):
 * case and the separator between "View" and "Only" do not matter, so `view only`, `View-Only`,
 * `view_only` and `viewonly` all name View Only. Null when the text names no role.
 */
export function parseRole(text: string): Role | null {
  const key = (value: string) => value.toLowerCase().replace(/[\s_-]+/g, '');
  const wanted = key(text.trim());
  return ROLES.find((role) => key(role) === wanted) ?? null;
}
