/**
 * Test helpers of the orchestration runs: a small market with one row for every skip reason, an
 * in-memory provider that records its calls, and a direct insert of an orchestration.
 */
import type {
  OrchestrationFilters,
  OrchestrationTarget,
  ProviderContact,
} from '../../domain/orchestrations/types';
import type { ContactProvider, PurchaseAnswer } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';

export const NOW = new Date('2026-11-20T10:00:00Z');

/** A provider row with the fields a test does not care about filled in. */
export function providerRow(
  fields: Partial<ProviderContact> & { providerId: string; companyDomain: string },
): ProviderContact {
  return {
    email: `${fields.providerId}@${fields.companyDomain}`,
    firstName: 'First',
    lastName: fields.providerId.toUpperCase(),
    title: 'Engineer',
    jobLevel: 'Staff',
    jobFunction: 'Engineering',
    country: 'US',
    emailConfidence: 'B',
    cost: 1,
    ...fields,
  };
}

/**
 * The small market's provider rows (accounts a1 … a6 of seedRunMarket): at a1 one row per skip
 * reason before the cap, two bought and one cut by the cap of 2; one bought at a2 (its domain
 * written as a URL); one in cooldown at a3; one at a6, outside the segment.
 */
export const MARKET_ROWS: ProviderContact[] = [
  providerRow({ providerId: 'p01', companyDomain: 'acme.com', email: null }),
  providerRow({ providerId: 'p02', companyDomain: 'acme.com', email: 'OptOut@Beta.io' }),
  providerRow({ providerId: 'p03', companyDomain: 'acme.com', email: ' known@ACME.com' }),
  providerRow({ providerId: 'p04', companyDomain: 'acme.com', country: 'DE' }),
  providerRow({ providerId: 'p05', companyDomain: 'acme.com', title: 'Engineering Intern' }),
  providerRow({
    providerId: 'p06',
    companyDomain: 'acme.com',
    title: 'VP Engineering',
    emailConfidence: 'A',
  }),
  providerRow({
    providerId: 'p07',
    companyDomain: 'acme.com',
    title: 'Director of Engineering',
    emailConfidence: 'B',
  }),
  providerRow({ providerId: 'p08', companyDomain: 'acme.com', title: 'Engineer', emailConfidence: 'C' }),
  providerRow({ providerId: 'p09', companyDomain: 'beta.io' }),
  providerRow({ providerId: 'p10', companyDomain: 'gamma.com' }),
  providerRow({ providerId: 'p11', companyDomain: 'other.com' }),
];

export const MARKET_FILTERS: OrchestrationFilters = { titles: [{ exclude: ['intern'] }], maxPerAccount: 2 };

/**
 * The market: a1 acme.com, a2 `https://www.Beta.io/`, a3 gamma.com (bought there 3 days ago), a4
 * without a domain, a5 delta.com (no provider rows), all Software; a6 other.com in Retail (not in
 * the segment). A contact with the known address at a1, an opted-out one at a2. The segment
 * "Software" and a provider record; returns their ids.
 */
export async function seedRunMarket(db: Db): Promise<{ segmentId: number; providerId: number }> {
  await db.exec(`
    INSERT INTO accounts (id, name, domain, industry, country) VALUES
      ('a1', 'Acme', 'acme.com', 'Software', 'US'),
      ('a2', 'Beta', 'https://www.Beta.io/', 'Software', 'US'),
      ('a3', 'Gamma', 'gamma.com', 'Software', 'GB'),
      ('a4', 'Nodomain', NULL, 'Software', 'US'),
      ('a5', 'Delta', 'delta.com', 'Software', 'US'),
      ('a6', 'Other', 'other.com', 'Retail', 'US');
    INSERT INTO contacts (id, account_id, email, kind, opted_out, country) VALUES
      ('c1', 'a1', 'Known@Acme.com', 'contact', false, 'FR'),
      ('c2', 'a2', 'optout@beta.io', 'lead', true, NULL);
    INSERT INTO activities (id, occurred_at, account_id, contact_id, type) VALUES
      ('v1', '2026-11-01', 'a1', 'c1', 'web_visit'),
      ('v2', '2026-11-02', 'a1', NULL, 'web_visit'),
      ('v3', '2026-11-03', 'a1', NULL, 'web_visit'),
      ('v4', '2026-11-03', 'a1', 'c1', 'email_open');
  `);
  const [segment] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition, version) VALUES ('Software', 'filter', $1::jsonb, 1) RETURNING id`,
    [JSON.stringify({ field: 'industry', op: 'eq', value: 'Software' })],
  );
  const [provider] = await db.query<{ id: string }>(
    `INSERT INTO contact_providers (name, type, settings) VALUES ('Vendor', 'csv', '{"dir": "/nowhere"}') RETURNING id`,
  );
  return { segmentId: Number(segment!.id), providerId: Number(provider!.id) };
}

/** An orchestration row, as createOrchestration would store it; returns its id. */
export async function insertOrchestration(
  db: Db,
  props: {
    name: string;
    goal?: 'acquire_contacts' | 'add_to_audience';
    segmentId: number;
    providerId: number | null;
    target?: OrchestrationTarget;
    filters?: OrchestrationFilters;
    audience?: object;
    schedule?: unknown;
    cooldownDays?: number;
    ownerUserId?: string | null;
    updatedAt?: Date;
  },
): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO orchestrations (name, goal, segment_id, provider_id, target, filters, audience, schedule,
            cooldown_days, owner, owner_user_id, created_by, updated_by, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5::jsonb, $6::jsonb, $7::jsonb, $8::jsonb, $9, 'ops@example.com', $10, 'ops@example.com',
             'ops@example.com', $11, $11)
     RETURNING id`,
    [
      props.name,
      props.goal ?? 'acquire_contacts',
      props.segmentId,
      props.providerId,
      JSON.stringify(props.target ?? { type: 'csv' }),
      JSON.stringify(props.filters ?? MARKET_FILTERS),
      JSON.stringify(props.audience ?? {}),
      JSON.stringify(props.schedule ?? 'manual'),
      props.cooldownDays ?? 30,
      props.ownerUserId ?? null,
      props.updatedAt ?? new Date('2026-11-01T00:00:00Z'),
    ],
  );
  return Number(row!.id);
}

/**
 * An earlier run of orchestration `orchestrationId` that bought and pushed a person at a3 (so a3
 * is in cooldown), charged.
 */
export async function seedEarlierPurchase(
  db: Db,
  providerId: number,
  orchestrationId: number,
): Promise<void> {
  const contact = providerRow({ providerId: 'p00', companyDomain: 'gamma.com', email: 'old@gamma.com' });
  await db.query(
    `WITH p AS (
       INSERT INTO contact_purchases (provider_id, provider_contact_id, email, account_id, contact, orchestration_id,
              source_type, state, cost, idempotency_key, purchased_at)
       VALUES ($1, 'p00', 'old@gamma.com', 'a3', $2::jsonb, $3, 'Orchestration', 'purchased', 1, 'earlier', $4)
       RETURNING id)
     , l AS (INSERT INTO credit_ledger (charged_at, amount, purchase_id, orchestration_id) SELECT $4, 1, id, $3 FROM p)
     , r AS (INSERT INTO orchestration_runs (orchestration_id, trigger, state, queued_at, finished_at)
             VALUES ($3, 'manual', 'complete', $4, $4) RETURNING id)
     INSERT INTO orchestration_records (run_id, orchestration_id, account_id, purchase_id, provider_contact_id, email, outcome)
     SELECT r.id, $3, 'a3', p.id, 'p00', 'old@gamma.com', 'pushed' FROM p, r`,
    [providerId, JSON.stringify(contact), orchestrationId, new Date(NOW.getTime() - 3 * 86_400_000)],
  );
}

/** An in-memory provider: searches by domain, buys idempotently by key, and counts its calls. */
export class MemoryProvider implements ContactProvider {
  readonly name = 'memory';
  readonly searches: string[][] = [];
  readonly purchases: { ids: string[]; key: string }[] = [];
  /** Ids the provider refuses to sell, with its reason. */
  readonly refusals = new Map<string, string>();
  private readonly answered = new Map<string, PurchaseAnswer[]>();

  constructor(private readonly rows: ProviderContact[]) {}

  async search(domains: readonly string[]): Promise<ProviderContact[]> {
    this.searches.push([...domains]);
    const wanted = new Set(domains);
    return this.rows.filter((row) => wanted.has(row.companyDomain.toLowerCase()));
  }

  async purchase(providerIds: readonly string[], idempotencyKey: string): Promise<PurchaseAnswer[]> {
    this.purchases.push({ ids: [...providerIds], key: idempotencyKey });
    const before = this.answered.get(idempotencyKey);
    if (before) return before;
    const answers = providerIds.map((id): PurchaseAnswer => {
      const refusal = this.refusals.get(id);
      const row = this.rows.find((r) => r.providerId === id);
      if (refusal || !row) return { providerId: id, ok: false, error: refusal ?? `unknown id ${id}` };
      return { providerId: id, ok: true, contact: row, cost: row.cost };
    });
    this.answered.set(idempotencyKey, answers);
    return answers;
  }

  /** Ids sold for the first time (a second ask with a key answered before sells nothing). */
  sold(): string[] {
    return [...this.answered.values()]
      .flat()
      .filter((a) => a.ok)
      .map((a) => a.providerId);
  }
}
