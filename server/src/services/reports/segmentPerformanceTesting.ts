import type { Db } from '../../store/db';

/**
 * A small market: runs as of 2026-01-15 and 2026-02-01 (the January baseline's; the second closes
 * it), 2026-03-10 and 2026-04-01 (the February–March analysis's) and 2026-05-01 (today's). Stages
 * per run, and the segment "Focus" as each run recorded it.
 */
const RUNS: { asOf: string; stages: Record<string, string>; focus: string[]; other: string[] }[] = [
  {
    asOf: '2026-01-15',
    stages: { A: 'Awareness', B: 'Decision', C: 'Target', E: 'Target' },
    focus: ['A'],
    other: ['E'],
  },
  {
    asOf: '2026-02-01',
    stages: { A: 'Target', B: 'Decision', C: 'Target', E: 'Target' },
    focus: ['A', 'B', 'C'],
    other: ['E'],
  },
  {
    asOf: '2026-03-10',
    stages: { A: 'Decision', B: 'Target', C: 'Target', D: 'Purchase', E: 'Target' },
    focus: ['A', 'B', 'D'],
    other: ['E'],
  },
  {
    asOf: '2026-04-01',
    stages: { A: 'Consideration', B: 'Target', C: 'Target', D: 'Awareness', E: 'Awareness' },
    focus: ['A', 'B', 'D'],
    other: ['E'],
  },
  {
    asOf: '2026-05-01',
    stages: { A: 'Target', B: 'Target', C: 'Target', D: 'Target', E: 'Target' },
    focus: ['C', 'D'],
    other: [],
  },
];

export async function loadSegmentPerformanceMarket(db: Db): Promise<void> {
  for (const id of ['A', 'B', 'C', 'D', 'E'])
    await db.run('INSERT INTO accounts (id, name, domain) VALUES ($1, $2, $3)', [
      id,
      `Account ${id}`,
      `${id.toLowerCase()}.example`,
    ]);
  await db.run(`INSERT INTO keywords (keyword) VALUES ('widgets')`);
  const activities: [string, string, string, string | null, string | null, string | null][] = [
    ['A', '2026-01-10T00:00:00Z', 'keyword_research', 'bombora', null, 'Widgets'],
    ['A', '2026-03-31T23:00:00Z', 'keyword_research', 'bombora', null, 'widgets'],
    ['A', '2026-04-01T00:00:00Z', 'sales_reply', 'outreach', 'p-a', null],
    ['A', '2026-01-12T00:00:00Z', 'keyword_research', 'g2', null, 'gadgets'],
    ['B', '2026-02-01T00:00:00Z', 'email_open', 'map', 'p-b', null],
    ['C', '2026-01-31T23:59:59Z', 'ad_impression', 'linkedin', null, null],
    ['D', '2026-02-15T00:00:00Z', 'web_visit', 'web', null, null],
  ];
  for (const [i, [account, at, type, source, contact, keyword]] of activities.entries())
    await db.run(
      'INSERT INTO activities (id, account_id, occurred_at, type, source, contact_id, keyword) VALUES ($1, $2, $3, $4, $5, $6, $7)',
      [`x${i}`, account, at, type, source, contact, keyword],
    );
  await db.run(
    `INSERT INTO opportunities (id, account_id, type, amount, currency, is_closed, is_won, relevant, created_at, closed_at) VALUES
       ('o1', 'A', 'New Business', 1000, 'USD', false, false, null, '2026-02-05T00:00:00Z', null),
       ('o2', 'B', 'Renewal', 500, null, true, true, null, '2025-12-01T00:00:00Z', '2026-01-20T00:00:00Z'),
       ('o3', 'D', 'New Business', 0, 'USD', false, false, null, '2026-03-02T00:00:00Z', null)`,
  );
  const [focus] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition) VALUES ('Focus', 'filter', '{"field":"qualified","op":"eq","value":true}') RETURNING id`,
  );
  const [other] = await db.query<{ id: string }>(
    `INSERT INTO segments (name, kind, definition) VALUES ('Other', 'filter', '{"field":"qualified","op":"eq","value":true}') RETURNING id`,
  );
  for (const run of RUNS) {
    const [row] = await db.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version) VALUES ($1, 'complete', 'test') RETURNING id`,
      [run.asOf],
    );
    for (const [account, stage] of Object.entries(run.stages))
      await db.run(
        `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, reach, qualified) VALUES ($1, $2, 50, $3, 'Low', false)`,
        [row!.id, account, stage],
      );
    for (const [segment, members] of [
      [focus!.id, run.focus],
      [other!.id, run.other],
    ] as const)
      await db.run(
        `INSERT INTO segment_run_members (run_id, segment_id, version, members, account_ids) VALUES ($1, $2, 1, $3, $4::text[])`,
        [row!.id, segment, members.length, members],
      );
  }
}
