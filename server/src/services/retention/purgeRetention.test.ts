import { runDailyJob } from '../../jobs/dailyJob';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { insertScoreRun } from '../salesforce/testing';
import { purgeRetention } from './purgeRetention';
import { getRetention, setRetention } from './retentionSettings';

const NOW = new Date('2026-06-30T12:00:00Z');
const daysAgo = (n: number) => new Date(NOW.getTime() - n * 86_400_000);
const score = (account: string) => ({
  account_id: account,
  intent_score: 50,
  buying_stage: 'Awareness',
  profile_score: 50,
  profile_fit: 'Moderate',
  reach: 'Low',
  qualified: false,
  qualified_since: null,
});
const person = (contact: string) => ({
  contact_id: contact,
  account_id: 'a1',
  engagement_score: 10,
  engagement_grade: 'D',
  profile_fit: null,
  persona: null,
});

describe.each(testStoreTargets())('retention on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  const count = async (table: string, where = 'true') =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table} WHERE ${where}`))[0]!.n);

  beforeAll(async () => {
    await db.exec(`INSERT INTO accounts (id, name) VALUES ('a1', 'Acme'), ('a2', 'Globex')`);
    // 7 activities: 3 older than 90 days, 4 newer.
    for (const [i, age] of [200, 120, 91, 89, 30, 1, 0].entries()) {
      await db.query(
        `INSERT INTO activities (id, occurred_at, account_id, type) VALUES ($1, $2, 'a1', 'web_visit')`,
        [`act${i}`, daysAgo(age)],
      );
    }
    // Five complete runs (the oldest is an alert subscription's baseline) and one still running.
    const runs: number[] = [];
    for (const day of ['2026-06-01', '2026-06-08', '2026-06-15', '2026-06-22', '2026-06-29'])
      runs.push(
        await insertScoreRun(db, day, [score('a1'), score('a2')], [person('c1'), person('c2'), person('c3')]),
      );
    await db.query(`INSERT INTO score_runs (as_of, status) VALUES ('2026-06-30', 'running')`);
    await db.query(`INSERT INTO segments (name, kind) VALUES ('All', 'filter')`);
    for (const run of runs) {
      await db.query(
        `INSERT INTO segment_run_members (run_id, segment_id, version, members, account_ids)
         SELECT $1, id, 1, 2, ARRAY['a1','a2'] FROM segments`,
        [run],
      );
      await db.query(`INSERT INTO score_reason_sets (run_id, id, reasons) VALUES ($1, 1, '[]')`, [run]);
    }
    await db.query(
      `INSERT INTO alert_subscriptions (segment_id, event, baseline_run_id) SELECT id, 'became_qualified', $1 FROM segments`,
      [runs[0]],
    );
    // Outbound logs: 2 old and 1 new enrolment attempt; 1 old finished and 1 old unfinished answer;
    // old alerts: one sent of an old run, one pending, one sent of the current run.
    for (const age of [400, 100, 5]) {
      await db.query(
        `INSERT INTO outreach_enrollment_attempts (org_id, user_id, person_id, sequence_id, mailbox_id, result, attempted_at)
         VALUES ('o', 'u', 'c1', 's', 'm', 'enrolled', $1)`,
        [daysAgo(age)],
      );
    }
    await db.query(
      `INSERT INTO outreach_enrollment_requests (org_id, user_id, idempotency_key, request_hash, owner, started_at, finished_at)
       VALUES ('o', 'u', 'k1', 'h', 'i', $1, $1), ('o', 'u', 'k2', 'h', 'i', $1, NULL)`,
      [daysAgo(100)],
    );
    const subscription = (await db.query<{ id: string }>('SELECT id FROM alert_subscriptions'))[0]!.id;
    for (const [account, state, run] of [
      ['a1', 'sent', runs[1]],
      ['a2', 'pending', runs[1]],
      ['a1', 'sent', runs[4]],
    ] as const) {
      await db.query(
        `INSERT INTO alert_deliveries (subscription_id, account_id, event, run_day, run_id, segment_id, details, state, created_at)
         SELECT $1, $2, 'became_qualified', $3, $4, id, '{}', $5, $6 FROM segments`,
        [subscription, account, run === runs[4] ? '2026-06-29' : '2026-06-08', run, state, daysAgo(100)],
      );
    }
    // Audit: 2 entries older than 30 days, 1 newer.
    for (const age of [60, 31, 2]) {
      await db.query(
        `INSERT INTO audit_log (at, actor, actor_kind, action, summary) VALUES ($1, 'x', 'user', 'segment.create', 's')`,
        [daysAgo(age)],
      );
    }
  });

  it('keeps everything by default, and an unset store purges nothing', async () => {
    expect(await getRetention(db)).toEqual({
      activitiesDays: null,
      outboundDays: null,
      scoreRuns: null,
      auditDays: null,
    });
    expect(await purgeRetention({ db, now: NOW })).toEqual({
      status: 'skipped',
      reason: 'every class is kept (no retention set)',
      deleted: {},
    });
    expect(await count('activities')).toBe(7);
  });

  it('deletes exactly what each class no longer keeps, in small batches, as the daily step', async () => {
    await setRetention({
      db,
      actor: OPERATOR,
      changes: { activitiesDays: 90, outboundDays: 30, scoreRuns: 2, auditDays: 30 },
      now: NOW,
    });
    const [update] = await db.query(
      `SELECT actor, action, summary FROM audit_log WHERE action = 'retention.update'`,
    );
    expect(update).toEqual({
      actor: 'command line',
      action: 'retention.update',
      summary: 'set retention: activities 90 days, outbound logs 30 days, score runs latest 2, audit 30 days',
    });

    const report = await runDailyJob({
      db,
      sync: null,
      score: null,
      writeback: null,
      retention: () => purgeRetention({ db, now: NOW, batchSize: 2 }),
    });
    expect(report.steps.retention).toEqual({
      status: 'complete',
      report: {
        status: 'complete',
        deleted: {
          activities: 3,
          outreach_enrollment_attempts: 2,
          outreach_enrollment_requests: 1,
          alert_deliveries: 1,
          // Runs 2 and 3 go; run 1 is a subscription's baseline, runs 4 and 5 are the latest two.
          account_scores: 4,
          contact_scores: 6,
          score_reason_sets: 2,
          segment_run_members: 2,
          score_runs: 2,
          // The two entries older than 30 days (the settings change is newer).
          audit_log: 2,
        },
      },
    });
    expect(await count('activities')).toBe(4);
    expect(await count('activities', `occurred_at < '${daysAgo(90).toISOString()}'`)).toBe(0);
    expect(
      (
        await db.query<{ as_of: string; status: string }>(
          `SELECT to_char(as_of, 'YYYY-MM-DD') AS as_of, status FROM score_runs ORDER BY as_of`,
        )
      ).map((r) => `${r.as_of} ${r.status}`),
    ).toEqual(['2026-06-01 complete', '2026-06-22 complete', '2026-06-29 complete', '2026-06-30 running']);
    expect(await count('account_scores')).toBe(6);
    expect(await count('alert_deliveries')).toBe(2); // the pending one and the current run's
    expect(await count('outreach_enrollment_requests')).toBe(1);
    const [purge] = await db.query<{ actor: string; counts: Record<string, number> }>(
      `SELECT actor, counts FROM audit_log WHERE action = 'retention.purge'`,
    );
    expect(purge).toEqual({
      actor: 'daily job',
      counts: expect.objectContaining({ activities: 3, score_runs: 2 }),
    });

    // A second purge finds nothing more (what a rerun after a kill would do with the rest).
    const again = await purgeRetention({ db, now: NOW, batchSize: 2 });
    expect(Object.values(again.deleted).reduce((sum, n) => sum + n, 0)).toBe(0);
    expect(await count('score_runs')).toBe(4);
  });
  it('a purge killed between two batches leaves whole batches deleted, and the next run deletes the rest', async () => {
    for (let i = 0; i < 5; i++) {
      await db.query(
        `INSERT INTO activities (id, occurred_at, account_id, type) VALUES ($1, $2, 'a1', 'web_visit')`,
        [`old${i}`, daysAgo(300 + i)],
      );
    }
    const old = `occurred_at < '${daysAgo(90).toISOString()}'`;
    const controller = new AbortController();
    let statements = 0;
    const killedAfterOneBatch: Db = {
      ...db,
      run: async (sql, params) => {
        const n = await db.run(sql, params);
        if (++statements === 1) controller.abort(new Error('killed'));
        return n;
      },
    };
    await expect(
      purgeRetention({ db: killedAfterOneBatch, now: NOW, batchSize: 2, signal: controller.signal }),
    ).rejects.toThrow('killed');
    expect(await count('activities', old)).toBe(3);
    const rerun = await purgeRetention({ db, now: NOW, batchSize: 2 });
    expect(rerun.deleted.activities).toBe(3);
    expect(await count('activities', old)).toBe(0);
  });
});
