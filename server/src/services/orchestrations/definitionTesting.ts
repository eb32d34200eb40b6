import { hostname } from 'node:os';
import type { Db } from '../../store/db';

/**
 * Test fixture of the orchestration definitions: two segments (`Hot`, `Cold`) and a csv provider
 * (`Vendor`), inserted as rows (their own use cases are tested elsewhere).
 */
export async function seedDefinitionFixture(db: Db): Promise<{ hot: number; cold: number; vendor: number }> {
  const segment = async (name: string) => {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO segments (name, kind, definition) VALUES ($1, 'filter', '{"field": "qualified", "op": "eq", "value": true}') RETURNING id`,
      [name],
    );
    return Number(row!.id);
  };
  const [vendor] = await db.query<{ id: string }>(
    `INSERT INTO contact_providers (name, type, settings) VALUES ('Vendor', 'csv', '{"dir": "/nowhere"}') RETURNING id`,
  );
  return { hot: await segment('Hot'), cold: await segment('Cold'), vendor: Number(vendor!.id) };
}

/** An acquire_contacts o.json over the fixture. */
export const ACQUIRE = {
  name: 'Buy security leaders',
  goal: 'acquire_contacts',
  segment: 'Hot',
  provider: 'Vendor',
  target: { type: 'salesforce_campaign', campaignId: '701000000000001AAA', create: 'lead' },
  filters: { titles: [{ levels: ['VP', 'Director'], include: ['security'] }], maxPerAccount: 3 },
  schedule: { weekly: 'monday' },
  cooldownDays: 30,
} as const;

/** An add_to_audience o.json over the fixture. */
export const AUDIENCE = {
  name: 'Hot to Outreach',
  goal: 'add_to_audience',
  segment: 'Hot',
  target: { type: 'outreach_sequence', sequenceId: '12', mailboxId: '3' },
  audience: { grades: ['A', 'B'] },
} as const;

/**
 * Adds a run of an orchestration in a state (the run side's rows, as the definitions see them).
 * `beatAt`: a running run held by this process with that heartbeat (alive); else no holder.
 */
export async function addRun(
  db: Db,
  orchestrationId: number,
  state: string,
  queuedAt: string,
  beatAt: Date | null = null,
): Promise<number> {
  const [row] = await db.query<{ id: string }>(
    `INSERT INTO orchestration_runs (orchestration_id, trigger, state, requested_by, queued_at, finished_at, counts,
                                     holder, heartbeat_at)
     VALUES ($1, 'manual', $2, 'ops@example.com', $3, CASE WHEN $2 IN ('complete', 'failed') THEN $3::timestamptz END,
             '{"purchased": 2, "pushed": 2, "skipped": 5}', $4, $5) RETURNING id`,
    [
      orchestrationId,
      state,
      queuedAt,
      beatAt ? `${hostname()}:${process.pid}` : null,
      beatAt?.toISOString() ?? null,
    ],
  );
  return Number(row!.id);
}
