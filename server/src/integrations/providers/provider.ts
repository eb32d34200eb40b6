import type { ProviderContact } from '../../domain/orchestrations/types';

/**
 * A contact-data provider, whatever is behind it (a vendor's CSV export, or a vendor's API behind
 * the HTTP contract of docs/providers.md). Rows it returns are validated (zod) before anyone sees
 * them: a row that is not valid is never offered.
 */
export interface ContactProvider {
  readonly name: string;
  /**
   * Every person the provider offers at these company domains (normalized: lower case, no scheme,
   * no `www.`, no path). The selection filters; a provider may pre-filter but must not drop a row
   * the selection would keep.
   */
  search(domains: readonly string[]): Promise<ProviderContact[]>;
  /**
   * Buys these people. Idempotent by `idempotencyKey`: asked again with the same key and ids (a
   * rerun after a crash), the provider answers the same and charges nothing more. Each id is
   * either purchased (with the row as bought and its cost) or refused with the provider's reason.
   */
  purchase(providerIds: readonly string[], idempotencyKey: string): Promise<PurchaseAnswer[]>;
}

export type PurchaseAnswer =
  | { providerId: string; ok: true; contact: ProviderContact; cost: number }
  | { providerId: string; ok: false; error: string };
