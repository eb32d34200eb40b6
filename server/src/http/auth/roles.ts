/**
 * Roles of standalone-app users (DESIGN.md "Security"). A user signed in through the Salesforce
 * panel has no role: the custom permissions of the embed token decide what they may do.
 */
export const ROLES = ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'] as const;
export type Role = (typeof ROLES)[number];

/** The role of a standalone user whose sign-in names none. */
export const DEFAULT_ROLE: Role = 'View Only';
