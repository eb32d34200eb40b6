import type { SourceType } from '../../domain/orchestrations/vocabulary';

/**
 * One person pushed to a target (a Salesforce campaign, an Outreach sequence). `key` names the
 * push so that pushing the same key again (a rerun after a crash, a re-push) creates nothing
 * twice: `purchase:<contact_purchases.id>` for a bought person, `person:<id>` for a contact or
 * lead of the store (add to audience).
 */
export interface PushPerson {
  key: string;
  email: string;
  firstName: string | null;
  lastName: string | null;
  title: string | null;
  /** The store's account, its name (Lead.Company) and its Salesforce id when it has one. */
  accountId: string | null;
  accountName: string | null;
  accountSalesforceId: string | null;
  country: string | null;
  /** A person the org already holds (add to audience): no Lead or Contact is created. */
  existing: { sobject: 'Lead' | 'Contact'; id: string } | null;
  /** Written to Signalfit_Source_Type__c on a Lead or Contact created for a purchase. */
  sourceType: SourceType;
}

/** How one person's push ended; ids are the target's (Salesforce record / Outreach prospect). */
export type PushOutcome =
  | { key: string; ok: true; targetId: string; memberId: string | null; note?: string }
  | { key: string; ok: false; reason: 'opted_out'; error: string }
  | { key: string; ok: false; reason: 'failed'; error: string };
