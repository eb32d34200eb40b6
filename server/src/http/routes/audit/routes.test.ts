import { parse as parseCsv } from 'csv-parse/sync';
import type { Express } from 'express';
import request from 'supertest';
import type { Role } from '../../../domain/vocabulary';
import { OPERATOR, SCHEDULER, type Actor } from '../../../policies/policies';
import { recordAudit } from '../../../services/audit/recordAudit';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { roleHeaders, TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Marketing' };
const KEY: Actor = { userId: 'k1', name: '=HYPERLINK("http://x")', role: 'Operations', kind: 'api_key' };

/** 25 entries over three days: ids 1–25, the nth at 2026-11-1(7|8|9) with n hours. */
async function seedLog(db: Db): Promise<void> {
  for (let n = 1; n <= 25; n++) {
    const day = n <= 10 ? '17' : n <= 20 ? '18' : '19';
    const at = new Date(`2026-11-${day}T${String(n % 24).padStart(2, '0')}:00:00Z`);
    const [actor, action] =
      n % 5 === 0
        ? [KEY, 'segment.publish']
        : n % 2 === 0
          ? [ADA, 'segment.create']
          : n % 3 === 0
            ? [SCHEDULER, 'score.run']
            : [OPERATOR, 'orchestration.create'];
    await recordAudit(
      db,
      actor,
      {
        action,
        targetType: action.split('.')[0],
        targetId: String(n),
        summary: n === 25 ? '-2+3 as a formula' : `entry ${n}`,
        counts: { n },
      },
      at,
    );
  }
}

describe.each(testStoreTargets())('audit routes on $name', (target) => {
  let db: Db;
  let app: Express;
  let as: (role: Role | null) => { Authorization: string };
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    as = await roleHeaders(db, ['Admin', 'Operations', 'Marketing', 'Sales', 'Insights', 'View Only'], NOW);
    await seedLog(db);
  });

  const ids = (body: { entries: { id: number }[] }) => body.entries.map((e) => e.id);

  it('answers the newest entries first, a page at a time by id, with every field', async () => {
    const first = await request(app).get('/api/audit?limit=10').set(as('Admin'));
    expect(first.status).toBe(200);
    expect(first.headers['cache-control']).toBe('private, no-store');
    expect(ids(first.body)).toEqual([25, 24, 23, 22, 21, 20, 19, 18, 17, 16]);
    expect(first.body.next).toBe(16);
    expect(first.body.entries[1]).toEqual({
      id: 24,
      at: '2026-11-19T00:00:00.000Z',
      actor: 'ada@example.com',
      actorKind: 'user',
      action: 'segment.create',
      targetType: 'segment',
      targetId: '24',
      summary: 'entry 24',
      counts: { n: 24 },
    });
    const second = await request(app).get('/api/audit?limit=10&before=16').set(as('Admin'));
    expect(ids(second.body)).toEqual([15, 14, 13, 12, 11, 10, 9, 8, 7, 6]);
    const last = await request(app).get('/api/audit?limit=10&before=6').set(as('Admin'));
    expect(ids(last.body)).toEqual([5, 4, 3, 2, 1]);
    expect(last.body.next).toBeNull();
    // A full last page says so too: no empty page after it.
    const exact = await request(app).get('/api/audit?limit=5&before=6').set(as('Admin'));
    expect(exact.body.next).toBeNull();
  });

  it('filters by dates, actor, action and thing', async () => {
    const day = await request(app).get('/api/audit?since=2026-11-18&until=2026-11-18').set(as('Admin'));
    expect(ids(day.body)).toEqual([20, 19, 18, 17, 16, 15, 14, 13, 12, 11]);
    const instant = await request(app).get('/api/audit?since=2026-11-19T02:00:00Z').set(as('Admin'));
    expect(ids(instant.body)).toEqual([23, 22, 21]);
    const ada = await request(app).get('/api/audit?actor=ADA@example.com').set(as('Admin'));
    expect(ids(ada.body)).toEqual([24, 22, 18, 16, 14, 12, 8, 6, 4, 2]);
    const publish = await request(app).get('/api/audit?action=segment.publish').set(as('Admin'));
    expect(ids(publish.body)).toEqual([25, 20, 15, 10, 5]);
    const segment = await request(app).get('/api/audit?action=segment&since=2026-11-19').set(as('Admin'));
    expect(ids(segment.body)).toEqual([25, 24, 22]);
    const schedule = await request(app).get('/api/audit?actor=schedule&targetType=score').set(as('Admin'));
    expect(ids(schedule.body)).toEqual([21, 9, 3]);
    const both = await request(app).get('/api/audit?actor=command%20line&limit=2').set(as('Admin'));
    expect(ids(both.body)).toEqual([23, 19]);
    expect(both.body.next).toBe(19);
  });

  it('refuses every role but Admin before reading the query, and anyone without a token', async () => {
    for (const role of ['Operations', 'Marketing', 'Sales', 'Insights', 'View Only'] as const) {
      for (const path of ['/api/audit?limit=nonsense&extra=1', '/api/audit.csv?since=yesterday']) {
        const res = await request(app).get(path).set(as(role));
        expect({ role, path, status: res.status, error: res.body.error }).toEqual({
          role,
          path,
          status: 403,
          error: {
            code: 'forbidden',
            message: `${path.includes('.csv') ? 'exporting' : 'reading'} the audit log is for the Admin roles`,
          },
        });
      }
    }
    expect((await request(app).get('/api/audit')).status).toBe(401);
    expect((await request(app).get('/api/audit.csv')).status).toBe(401);
  });

  it('refuses a bad date, action, limit or parameter, naming it', async () => {
    for (const [query, field] of [
      ['since=2026-02-31', 'since'],
      ['until=yesterday', 'until'],
      ['action=DROP TABLE', 'action'],
      ['limit=0', 'limit'],
      ['limit=1001', 'limit'],
      ['before=x', 'before'],
      ['sort=at', ''],
    ] as const) {
      const res = await request(app).get(`/api/audit?${query}`).set(as('Admin'));
      expect({ query, status: res.status, code: res.body.error.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
      if (field) expect(res.body.error.details[0].path).toEqual([field]);
    }
    const csv = await request(app).get('/api/audit.csv?limit=5').set(as('Admin'));
    expect(csv.status).toBe(400);
  });

  it('exports the filtered log as CSV, newest first, counts as JSON, formulas defused', async () => {
    const res = await request(app).get('/api/audit.csv?since=2026-11-19').set(as('Admin'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toBe('attachment; filename=signalfit-audit-2026-11-20.csv');
    const rows = parseCsv(res.text) as string[][];
    expect(rows[0]).toEqual([
      'id',
      'at',
      'actor',
      'actor_kind',
      'action',
      'target_type',
      'target_id',
      'summary',
      'counts',
    ]);
    expect(rows.slice(1).map((row) => row[0])).toEqual(['25', '24', '23', '22', '21']);
    expect(rows[1]).toEqual([
      '25',
      '2026-11-19T01:00:00.000Z',
      `'=HYPERLINK("http://x")`,
      'api_key',
      'segment.publish',
      'segment',
      '25',
      "'-2+3 as a formula",
      '{"n":25}',
    ]);
    const all = await request(app).get('/api/audit.csv').set(as('Admin'));
    expect(parseCsv(all.text)).toHaveLength(26);
    const none = await request(app).get('/api/audit.csv?action=user').set(as('Admin'));
    expect(none.text).toBe('id,at,actor,actor_kind,action,target_type,target_id,summary,counts\n');
  });
});
