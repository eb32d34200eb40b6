import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { deleteSegment } from '../segments/deleteSegment';
import { createOrchestration } from './createOrchestration';
import { deleteOrchestration } from './deleteOrchestration';
import { ACQUIRE, addRun, AUDIENCE, seedDefinitionFixture } from './definitionTesting';
import { getOrchestration } from './getOrchestration';
import { listOrchestrations } from './listOrchestrations';
import { parseOrchestrationInput, parseOrchestrationPatch } from './orchestrationInput';
import { updateOrchestration } from './updateOrchestration';

const NOW = new Date('2026-11-20T10:00:00Z'); // a Friday
const LATER = new Date('2026-11-21T09:30:00Z');

const actor = (role: Actor['role'], name: string): Actor => ({
  userId: `u-${name}`,
  name,
  email: `${name}@example.com`,
  role,
});
const ADMIN = actor('Admin', 'ada');
const OPS = actor('Operations', 'olga');
const MARKETING = actor('Marketing', 'mark');
const SALES = actor('Sales', 'sam');
const INSIGHTS = actor('Insights', 'ines');
const VIEWER = actor('View Only', 'vic');
const NOBODY: Actor = { userId: 'u-none', name: 'none', role: null };

describe.each(testStoreTargets())('orchestration definitions on $name', (target) => {
  let db: Db;
  let ids: { hot: number; cold: number; vendor: number };
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    ids = await seedDefinitionFixture(db);
  });
  afterEach(async () => {
    await db.exec(
      'DELETE FROM contact_purchases; DELETE FROM orchestrations; DELETE FROM orchestration_changes',
    );
  });

  // async: a refusal of the parse is a rejection too.
  const create = async (value: object, by: Actor = OPS, now = NOW) =>
    createOrchestration({ db, actor: by, input: parseOrchestrationInput(value, 'o.json'), now });
  const update = async (ref: string | number, value: object, by: Actor = OPS, now = LATER) =>
    updateOrchestration({ db, actor: by, ref, changes: parseOrchestrationPatch(value, 'patch.json'), now });

  it('creates an orchestration at version 1, owned by its creator, idle, with its next run and a created row', async () => {
    const created = await create(ACQUIRE);
    expect(created).toEqual({
      id: expect.any(Number),
      name: 'Buy security leaders',
      goal: 'acquire_contacts',
      segment: { id: ids.hot, name: 'Hot' },
      provider: { id: ids.vendor, name: 'Vendor' },
      target: ACQUIRE.target,
      filters: ACQUIRE.filters,
      audience: {},
      schedule: { weekly: 'monday' },
      cooldownDays: 30,
      owner: 'olga@example.com',
      ownerUserId: 'u-olga',
      version: 1,
      createdAt: NOW.toISOString(),
      createdBy: 'olga@example.com',
      updatedAt: NOW.toISOString(),
      updatedBy: 'olga@example.com',
      state: 'idle',
      lastRun: null,
      nextRunAt: '2026-11-23T06:00:00.000Z',
    });
    const { orchestration, changes } = await getOrchestration({
      db,
      actor: VIEWER,
      ref: 'BUY security leaders',
      now: NOW,
    });
    expect(orchestration).toEqual(created);
    expect(changes).toEqual([
      {
        version: 1,
        action: 'created',
        changedBy: 'olga@example.com',
        changedAt: NOW.toISOString(),
        oldValue: null,
        newValue: {
          name: 'Buy security leaders',
          goal: 'acquire_contacts',
          segment: { id: ids.hot, name: 'Hot' },
          provider: { id: ids.vendor, name: 'Vendor' },
          target: ACQUIRE.target,
          filters: ACQUIRE.filters,
          audience: {},
          schedule: { weekly: 'monday' },
          cooldownDays: 30,
        },
      },
    ]);
  });

  it('takes the segment by id, fills the defaults (manual, no cooldown) and needs no provider to add to an audience', async () => {
    const created = await create({ ...AUDIENCE, segment: ids.cold });
    expect(created).toMatchObject({
      segment: { id: ids.cold, name: 'Cold' },
      provider: null,
      filters: {},
      audience: { grades: ['A', 'B'] },
      schedule: 'manual',
      cooldownDays: 0,
      nextRunAt: null,
    });
  });

  it('refuses an unknown segment, provider or target type and a bad filter, naming the field; nothing is stored', async () => {
    await expect(create({ ...ACQUIRE, segment: 'Nope' })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: 'segment: no segment named "Nope": see signalfit segments list',
      details: { path: 'segment' },
    });
    await expect(create({ ...ACQUIRE, segment: 999999 })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: 'segment: no segment with id 999999: see signalfit segments list',
    });
    await expect(create({ ...ACQUIRE, provider: 'Nobody' })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: 'provider: no contact-data provider named "Nobody" (signalfit providers list shows them)',
      details: { path: 'provider' },
    });
    await expect(create({ ...ACQUIRE, target: { type: 'fax_machine' } })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: expect.stringMatching(/^o\.json: target/),
    });
    await expect(
      create({ ...ACQUIRE, filters: { titles: [{ levels: ['VP'] }, { levels: ['Chief'] }] } }),
    ).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: expect.stringMatching(/^o\.json: filters\.titles\[1\]\.levels\[0\]: /),
      details: { path: 'filters.titles[1].levels[0]' },
    });
    expect(await listOrchestrations({ db, actor: VIEWER, now: NOW })).toEqual([]);
    expect(await db.query('SELECT * FROM orchestration_changes')).toEqual([]);
  });

  it('keeps names unique whatever their case, at create and at rename', async () => {
    await create(ACQUIRE);
    await expect(create({ ...AUDIENCE, name: 'BUY SECURITY LEADERS' })).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('an orchestration named "BUY SECURITY LEADERS" already exists'),
    });
    await create(AUDIENCE);
    await expect(update('Hot to Outreach', { name: 'buy security leaders' })).rejects.toMatchObject({
      code: 'conflict',
    });
    // Its own name in another case is no conflict.
    expect((await update('Hot to Outreach', { name: 'HOT to Outreach' })).name).toBe('HOT to Outreach');
  });

  it.each([
    ['Marketing', MARKETING],
    ['Sales', SALES],
    ['Insights', INSIGHTS],
    ['View Only', VIEWER],
    ['no role', NOBODY],
  ])('refuses %s to create, change or delete an orchestration', async (_label, who) => {
    await expect(create(ACQUIRE, who)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'creating orchestrations is for the Admin, Operations roles',
    });
    const created = await create(ACQUIRE);
    await expect(update(created.id, { cooldownDays: 1 }, who)).rejects.toMatchObject({ code: 'forbidden' });
    await expect(deleteOrchestration({ db, actor: who, ref: created.id, now: NOW })).rejects.toMatchObject({
      code: 'forbidden',
    });
    expect(
      (await getOrchestration({ db, actor: OPS, ref: created.id, now: NOW })).orchestration.version,
    ).toBe(1);
  });

  it('lets Marketing and View Only read, and refuses Sales, Insights and no role', async () => {
    await create(ACQUIRE);
    for (const reader of [ADMIN, OPS, MARKETING, VIEWER]) {
      expect(await listOrchestrations({ db, actor: reader, now: NOW })).toHaveLength(1);
    }
    for (const refused of [SALES, INSIGHTS, NOBODY]) {
      await expect(listOrchestrations({ db, actor: refused, now: NOW })).rejects.toMatchObject({
        code: 'forbidden',
        message: 'reading orchestrations is for the Admin, Operations, Marketing, View Only roles',
      });
      await expect(
        getOrchestration({ db, actor: refused, ref: ACQUIRE.name, now: NOW }),
      ).rejects.toMatchObject({ code: 'forbidden' });
    }
  });

  it('lets only an Admin allow restricted regions, and records who turned them on and off, and when', async () => {
    const restricted = { ...ACQUIRE, filters: { ...ACQUIRE.filters, allowRestrictedRegions: true } };
    await expect(create(restricted, OPS)).rejects.toMatchObject({
      code: 'forbidden',
      message: 'enabling restricted regions is for the Admin roles',
    });
    const created = await create(ACQUIRE, OPS);
    await expect(update(created.id, { filters: restricted.filters }, OPS)).rejects.toMatchObject({
      code: 'forbidden',
    });
    const enabled = await update(created.id, { filters: restricted.filters }, ADMIN);
    expect(enabled).toMatchObject({ version: 2, updatedBy: 'ada@example.com', owner: 'olga@example.com' });
    // Operations may still change the rest, and may turn them off.
    await update(
      created.id,
      { cooldownDays: 7, filters: restricted.filters },
      OPS,
      new Date('2026-11-22T08:00:00Z'),
    );
    await update(created.id, { filters: ACQUIRE.filters }, OPS, new Date('2026-11-23T08:00:00Z'));
    const { changes } = await getOrchestration({ db, actor: VIEWER, ref: created.id, now: NOW });
    expect(changes.map((c) => [c.version, c.action, c.changedBy, c.changedAt])).toEqual([
      [1, 'created', 'olga@example.com', NOW.toISOString()],
      [2, 'updated', 'ada@example.com', LATER.toISOString()],
      [2, 'restricted_regions_enabled', 'ada@example.com', LATER.toISOString()],
      [3, 'updated', 'olga@example.com', '2026-11-22T08:00:00.000Z'],
      [4, 'updated', 'olga@example.com', '2026-11-23T08:00:00.000Z'],
      [4, 'restricted_regions_disabled', 'olga@example.com', '2026-11-23T08:00:00.000Z'],
    ]);
    expect(changes[2]).toMatchObject({
      oldValue: { allowRestrictedRegions: false },
      newValue: { allowRestrictedRegions: true },
    });
    expect(changes[3]).toMatchObject({ oldValue: { cooldownDays: 30 }, newValue: { cooldownDays: 7 } });

    const byAdmin = await create({ ...restricted, name: 'Worldwide' }, ADMIN);
    const history = await getOrchestration({ db, actor: VIEWER, ref: byAdmin.id, now: NOW });
    expect(history.changes.map((c) => [c.version, c.action, c.changedBy])).toEqual([
      [1, 'created', 'ada@example.com'],
      [1, 'restricted_regions_enabled', 'ada@example.com'],
    ]);
  });

  it('changes only the fields given, records their old and new values, and writes nothing for a save that changes nothing', async () => {
    const created = await create(ACQUIRE);
    const changed = await update(ACQUIRE.name, { segment: 'Cold', schedule: 'daily', cooldownDays: 30 });
    expect(changed).toMatchObject({
      version: 2,
      segment: { id: ids.cold, name: 'Cold' },
      schedule: 'daily',
      nextRunAt: '2026-11-22T06:00:00.000Z',
      updatedAt: LATER.toISOString(),
      createdAt: NOW.toISOString(),
      filters: ACQUIRE.filters,
    });
    const same = await update(created.id, { segment: ids.cold, filters: ACQUIRE.filters });
    expect(same.version).toBe(2);
    const { changes } = await getOrchestration({ db, actor: VIEWER, ref: created.id, now: NOW });
    expect(changes.slice(1)).toEqual([
      {
        version: 2,
        action: 'updated',
        changedBy: 'olga@example.com',
        changedAt: LATER.toISOString(),
        oldValue: { segment: { id: ids.hot, name: 'Hot' }, schedule: { weekly: 'monday' } },
        newValue: { segment: { id: ids.cold, name: 'Cold' }, schedule: 'daily' },
      },
    ]);
    await expect(update(created.id, { provider: 'Nobody' })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      details: { path: 'provider' },
    });
    await expect(update('No such', { cooldownDays: 1 })).rejects.toMatchObject({ code: 'not_found' });
  });

  it('removes optional fields given as null, so an orchestration can change its goal, and checks the result as a whole', async () => {
    const created = await create(ACQUIRE);
    await expect(update(created.id, { goal: 'add_to_audience' })).rejects.toMatchObject({
      code: 'invalid_orchestration',
      message: expect.stringMatching(/^orchestration "Buy security leaders" as changed: provider: /),
      details: { path: 'provider' },
    });
    const switched = await update(created.id, {
      goal: 'add_to_audience',
      provider: null,
      filters: null,
      schedule: null,
      audience: { fits: ['Strong'] },
    });
    expect(switched).toMatchObject({
      goal: 'add_to_audience',
      provider: null,
      filters: {},
      audience: { fits: ['Strong'] },
      schedule: 'manual',
      version: 2,
    });
    const { changes } = await getOrchestration({ db, actor: VIEWER, ref: created.id, now: NOW });
    expect(changes[1]).toMatchObject({
      action: 'updated',
      oldValue: {
        goal: 'acquire_contacts',
        provider: { name: 'Vendor' },
        filters: ACQUIRE.filters,
        audience: {},
      },
      newValue: { goal: 'add_to_audience', provider: null, filters: {}, audience: { fits: ['Strong'] } },
    });
  });

  it('shows the state and last run from the newest run', async () => {
    const a = await create(ACQUIRE);
    const b = await create(AUDIENCE);
    await addRun(db, a.id, 'complete', '2026-11-19T06:00:00Z');
    const queued = await addRun(db, a.id, 'queued', '2026-11-20T09:00:00Z');
    const done = await addRun(db, b.id, 'failed', '2026-11-18T06:00:00Z');
    const list = await listOrchestrations({ db, actor: VIEWER, now: NOW });
    expect(list.map((o) => [o.name, o.state, o.lastRun?.id, o.lastRun?.state])).toEqual([
      ['Buy security leaders', 'queued', queued, 'queued'],
      ['Hot to Outreach', 'idle', done, 'failed'],
    ]);
    expect(list[1]!.lastRun).toEqual({
      id: done,
      trigger: 'manual',
      state: 'failed',
      requestedBy: 'ops@example.com',
      queuedAt: '2026-11-18T06:00:00.000Z',
      startedAt: null,
      finishedAt: '2026-11-18T06:00:00.000Z',
      counts: { purchased: 2, pushed: 2, skipped: 5, failed: 0 },
      message: null,
    });
  });

  it('refuses to delete while a run is queued or running; then deletes, keeping its history and purchases', async () => {
    const created = await create(ACQUIRE);
    const running = await addRun(db, created.id, 'running', '2026-11-20T09:00:00Z', LATER);
    await expect(
      deleteOrchestration({ db, actor: OPS, ref: ACQUIRE.name, now: LATER }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringContaining(`orchestration "Buy security leaders" has run ${running} running`),
    });
    await db.run(`UPDATE orchestration_runs SET state = 'queued' WHERE id = $1`, [running]);
    await expect(deleteOrchestration({ db, actor: OPS, ref: created.id, now: LATER })).rejects.toMatchObject({
      code: 'conflict',
    });
    await db.run(`UPDATE orchestration_runs SET state = 'complete' WHERE id = $1`, [running]);
    await db.run(
      `INSERT INTO contact_purchases (provider_id, provider_contact_id, email, contact, orchestration_id, run_id,
                                      source_type, state, cost, idempotency_key)
       VALUES ($1, 'p-1', 'kim@globex.example', '{}', $2, $3, 'Orchestration', 'purchased', 1, 'k-1')`,
      [ids.vendor, created.id, running],
    );

    const deleted = await deleteOrchestration({ db, actor: ADMIN, ref: created.id, now: LATER });
    expect(deleted).toMatchObject({ id: created.id, name: ACQUIRE.name });
    await expect(getOrchestration({ db, actor: VIEWER, ref: created.id, now: NOW })).rejects.toMatchObject({
      code: 'not_found',
    });
    const kept = await db.query<{ action: string; changed_by: string; version: number }>(
      'SELECT action, changed_by, version FROM orchestration_changes WHERE orchestration_id = $1 ORDER BY id',
      [created.id],
    );
    expect(kept).toEqual([
      { action: 'created', changed_by: 'olga@example.com', version: 1 },
      { action: 'deleted', changed_by: 'ada@example.com', version: 1 },
    ]);
    expect(
      await db.query('SELECT email FROM contact_purchases WHERE orchestration_id = $1', [created.id]),
    ).toEqual([{ email: 'kim@globex.example' }]);
    expect(
      await db.query('SELECT id FROM orchestration_runs WHERE orchestration_id = $1', [created.id]),
    ).toEqual([]);
  });

  it('deletes an orchestration whose running run has died (no heartbeat)', async () => {
    const created = await create(ACQUIRE);
    await addRun(db, created.id, 'running', '2026-11-20T09:00:00Z');
    await deleteOrchestration({ db, actor: OPS, ref: created.id, now: LATER });
    expect(await listOrchestrations({ db, actor: VIEWER, now: NOW })).toEqual([]);
  });

  it('refuses to delete a segment an orchestration uses, naming the orchestrations', async () => {
    await db.run(
      `INSERT INTO segments (name, kind, definition) VALUES ('Doomed', 'filter', '{"field": "qualified", "op": "eq", "value": true}')`,
    );
    await create({ ...ACQUIRE, segment: 'Doomed' });
    await create({ ...AUDIENCE, name: 'Another', segment: 'doomed' });
    await expect(deleteSegment({ db, actor: ADMIN, ref: 'Doomed' })).rejects.toMatchObject({
      code: 'conflict',
      message:
        'segment "Doomed" is used by the orchestrations "Another", "Buy security leaders": give them another segment or delete them first',
    });
    await deleteOrchestration({ db, actor: OPS, ref: 'Another', now: NOW });
    await expect(deleteSegment({ db, actor: ADMIN, ref: 'Doomed' })).rejects.toMatchObject({
      message: expect.stringContaining('used by the orchestration "Buy security leaders": give it'),
    });
    await update(ACQUIRE.name, { segment: 'Cold' });
    await deleteSegment({ db, actor: ADMIN, ref: 'Doomed' });
    expect(await db.query(`SELECT id FROM segments WHERE name = 'Doomed'`)).toEqual([]);
  });
});
