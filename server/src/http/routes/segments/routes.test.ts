import request from 'supertest';
import type { Express } from 'express';
import type { Role } from '../../../domain/vocabulary';
import { seedListFixture } from '../../../services/accounts/testing';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { issueAccessToken } from '../../auth/accessToken';
import { loadAccessKey } from '../../auth/accessKey';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

const NOW = new Date('2026-11-20T12:00:00Z');
const QUALIFIED = { field: 'qualified', op: 'eq', value: true };

describe.each(testStoreTargets())('segment routes on $name', (target) => {
  let db: Db;
  let app: Express;
  const tokens = new Map<Role, string>();
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await seedListFixture(db);
    app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => NOW,
    });
    for (const role of ['Admin', 'Operations', 'Marketing', 'View Only'] as const) {
      tokens.set(
        role,
        await issueAccessToken(
          {
            orgId: 'o',
            userId: `u-${role}`,
            name: `A ${role}`,
            email: null,
            perms: [],
            record: null,
            accountId: null,
            role,
          },
          await loadAccessKey(db),
          NOW,
        ),
      );
    }
  });
  afterEach(async () => {
    await db.exec('DELETE FROM segments; DELETE FROM segment_changes');
  });

  const as = (role: Role) => ({ Authorization: `Bearer ${tokens.get(role)!}` });
  const create = (body: object, role: Role = 'Marketing') =>
    request(app).post('/api/segments').set(as(role)).send(body);

  it('creates (201), lists, reads with history by id or name, changes and deletes a segment', async () => {
    const created = await create({ name: 'Qualified', folder: 'ABM', tags: ['q'], definition: QUALIFIED });
    expect(created.status).toBe(201);
    const id = created.body.segment.id as number;
    expect(created.body.segment).toMatchObject({
      name: 'Qualified',
      kind: 'filter',
      version: 1,
      createdBy: 'A Marketing',
    });

    const list = await request(app).get('/api/segments').set(as('View Only'));
    expect(list.status).toBe(200);
    expect(list.body.segments.map((s: { name: string }) => s.name)).toEqual(['Qualified']);

    const patched = await request(app)
      .patch(`/api/segments/${id}`)
      .set(as('Marketing'))
      .send({
        definition: { field: 'buying_stage', op: 'gte', value: 'Decision' },
        description: 'late stage',
      });
    expect(patched.status).toBe(200);
    expect(patched.body.segment).toMatchObject({ version: 2, description: 'late stage' });

    const byName = await request(app).get('/api/segments/qualified').set(as('View Only'));
    expect(byName.status).toBe(200);
    expect(
      byName.body.history.map((h: { action: string; version: number }) => [h.action, h.version]),
    ).toEqual([
      ['created', 1],
      ['updated', 2],
    ]);

    expect((await request(app).delete(`/api/segments/${id}`).set(as('Marketing'))).status).toBe(204);
    const gone = await request(app).get(`/api/segments/${id}`).set(as('Marketing'));
    expect(gone.status).toBe(404);
    expect(gone.body.error.code).toBe('not_found');
  });

  it('answers 400 invalid_segment with the bracket path of a bad condition or value', async () => {
    const field = await create({
      name: 'Bad',
      definition: {
        all: [QUALIFIED, QUALIFIED, { any: [QUALIFIED, { field: 'shoe_size', op: 'eq', value: 9 }] }],
      },
    });
    expect(field.status).toBe(400);
    expect(field.body.error).toMatchObject({ code: 'invalid_segment', details: { path: 'all[2].any[1]' } });
    expect(field.body.error.message).toContain('all[2].any[1]');

    const value = await create({
      name: 'Bad',
      definition: { any: [{ field: 'intent_score', op: 'gte', value: 'high' }] },
    });
    expect(value.status).toBe(400);
    expect(value.body.error).toMatchObject({ code: 'invalid_segment', details: { path: 'any[0].value' } });
    expect(value.body.error.message).toContain('any[0].value');

    const patch = await request(app)
      .patch('/api/segments/Nothing')
      .set(as('Marketing'))
      .send({ definition: QUALIFIED });
    expect(patch.status).toBe(404);
    const digits = await create({ name: '12345', definition: QUALIFIED });
    expect(digits.status).toBe(400);
    expect(digits.body.error.code).toBe('validation_failed');
  });

  it('refuses a cycle of references with a message that says so', async () => {
    await create({ name: 'A', definition: QUALIFIED });
    await create({ name: 'B', definition: { field: 'segment', op: 'in', value: 'A' } });
    const res = await request(app)
      .patch('/api/segments/A')
      .set(as('Marketing'))
      .send({ definition: { any: [{ field: 'segment', op: 'in', value: 'B' }] } });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_segment', details: { path: 'any[0].value' } });
    expect(res.body.error.message).toMatch(/cycle \(A → B → A\)/);
  });

  it('answers 409 for a taken name and for deleting a segment another refers to', async () => {
    await create({ name: 'Base', definition: QUALIFIED });
    const dup = await create({ name: 'BASE', definition: QUALIFIED });
    expect(dup.status).toBe(409);
    expect(dup.body.error.code).toBe('conflict');
    await create({ name: 'On top', definition: { field: 'segment', op: 'in', value: 'Base' } });
    const del = await request(app).delete('/api/segments/Base').set(as('Admin'));
    expect(del.status).toBe(409);
    expect(del.body.error.message).toContain('"On top"');
  });

  it('refuses changes to View Only and publishing to Marketing (403); Operations publishes and unpublishes', async () => {
    const viewOnly = await create({ name: 'X', definition: QUALIFIED }, 'View Only');
    expect(viewOnly.status).toBe(403);
    expect(viewOnly.body.error.code).toBe('forbidden');
    const id = (await create({ name: 'X', definition: QUALIFIED })).body.segment.id as number;
    expect((await request(app).delete(`/api/segments/${id}`).set(as('View Only'))).status).toBe(403);
    expect(
      (await request(app).patch(`/api/segments/${id}`).set(as('View Only')).send({ name: 'Y' })).status,
    ).toBe(403);

    const byMarketing = await request(app).post(`/api/segments/${id}/publish`).set(as('Marketing'));
    expect(byMarketing.status).toBe(403);
    expect(byMarketing.body.error.message).toContain('Admin, Operations');

    const published = await request(app).post(`/api/segments/${id}/publish`).set(as('Operations'));
    expect(published.status).toBe(200);
    expect(published.body.segment).toMatchObject({ published: true, publishedBy: 'A Operations' });
    const unpublished = await request(app).post('/api/segments/x/unpublish').set(as('Admin'));
    expect(unpublished.body.segment).toMatchObject({ published: false, publishedAt: null });
    expect((await request(app).post(`/api/segments/${id}/unpublish`).set(as('Marketing'))).status).toBe(403);
  });

  it('uploads a list from a text/csv body, reporting the rows that match no account', async () => {
    const res = await request(app)
      .post('/api/segments/upload?name=Booth%20visitors&folder=Events')
      .set(as('Marketing'))
      .set('Content-Type', 'text/csv')
      .send('domain\nglobex.example\nnowhere.example\n""\n');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      segment: { name: 'Booth visitors', kind: 'list', folder: 'Events' },
      rows: 3,
      matched: 1,
      unmatched: [
        { line: 3, value: 'nowhere.example', reason: 'no account with that domain' },
        { line: 4, value: '', reason: 'empty' },
      ],
    });
    const appended = await request(app)
      .post('/api/segments/upload?name=Booth%20visitors&append=true')
      .set(as('Marketing'))
      .set('Content-Type', 'text/csv')
      .send('account_id\nacct-001\n');
    expect(appended.body.segment.version).toBe(2);

    const json = await request(app)
      .post('/api/segments/upload?name=L')
      .set(as('Marketing'))
      .send({ rows: [] });
    expect(json.status).toBe(400);
    expect(json.body.error.message).toContain('text/csv');
    const viewer = await request(app)
      .post('/api/segments/upload?name=L')
      .set(as('View Only'))
      .set('Content-Type', 'text/csv')
      .send('account_id\nacct-001\n');
    expect(viewer.status).toBe(403);
  });

  it("pages the segment's members like GET /api/accounts, and exports them as CSV", async () => {
    await request(app)
      .post('/api/segments/upload?name=Three')
      .set(as('Marketing'))
      .set('Content-Type', 'text/csv')
      .send('account_id\nacct-001\nacct-002\nacct-003\n');
    const page = await request(app)
      .get('/api/segments/Three/accounts?sort=name&dir=asc&limit=2')
      .set(as('View Only'));
    expect(page.status).toBe(200);
    expect(page.body.accounts.map((a: { id: string }) => a.id)).toEqual(['acct-001', 'acct-002']);
    expect(page.body).toMatchObject({ count: 3, countCapped: false, run: { asOf: '2026-11-19' } });
    const next = await request(app)
      .get(`/api/segments/Three/accounts?sort=name&dir=asc&limit=2&cursor=${page.body.nextCursor}`)
      .set(as('View Only'));
    expect(next.body.accounts.map((a: { id: string }) => a.id)).toEqual(['acct-003']);
    expect(next.body.nextCursor).toBeNull();

    const csv = await request(app)
      .get('/api/segments/Three/export.csv?sort=name&dir=asc')
      .set(as('Marketing'));
    expect(csv.status).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.headers['content-disposition']).toContain('signalfit-segment-three-2026-11-20.csv');
    const lines = csv.text.trim().split('\n');
    expect(lines[0]).toMatch(/^id,name,domain,/);
    expect(lines.slice(1).map((line) => line.split(',')[0])).toEqual(['acct-001', 'acct-002', 'acct-003']);
    expect((await request(app).get('/api/segments/Three/export.csv').set(as('View Only'))).status).toBe(403);
  });

  it('previews a definition without saving it, and refuses a bad one with its path', async () => {
    const res = await request(app)
      .post('/api/segments/preview')
      .set(as('Marketing'))
      .send({ definition: QUALIFIED });
    expect(res.status).toBe(200);
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_scores s JOIN score_runs r ON r.id = s.run_id
        WHERE r.as_of = '2026-11-19' AND r.status = 'complete' AND s.qualified`,
    );
    expect(res.body).toMatchObject({ asOf: '2026-11-19', count: row!.n });
    expect(res.body.members.every((m: { qualified: boolean }) => m.qualified)).toBe(true);
    const bad = await request(app)
      .post('/api/segments/preview')
      .set(as('Marketing'))
      .send({ definition: { all: [{ field: 'nope', op: 'eq', value: 1 }] } });
    expect(bad.body.error).toMatchObject({ code: 'invalid_segment', details: { path: 'all[0]' } });
    expect((await request(app).get('/api/segments').set(as('Marketing'))).body.segments).toEqual([]);
  });

  it("shows an account's segments in the account view", async () => {
    const id = (await create({ name: 'Qualified', definition: QUALIFIED })).body.segment.id as number;
    await request(app).post(`/api/segments/${id}/publish`).set(as('Admin'));
    const view = await request(app).get('/api/accounts/acct-005/intelligence').set(as('Marketing'));
    expect(view.status).toBe(200);
    expect(view.body.segments).toEqual([{ id, name: 'Qualified', published: true }]);
    const other = await request(app).get('/api/accounts/acct-001/intelligence').set(as('Marketing'));
    expect(other.body.segments).toEqual([]);
  });
});
