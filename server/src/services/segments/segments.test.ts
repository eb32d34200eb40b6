import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedListFixture } from '../accounts/testing';
import { createSegment } from './createSegment';
import { deleteSegment } from './deleteSegment';
import { getSegment } from './getSegment';
import { listSegments } from './listSegments';
import { publishSegment } from './publishSegment';
import { updateSegmentInput } from './segmentInput';
import { unpublishSegment } from './unpublishSegment';
import { updateSegment } from './updateSegment';

const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Marketing' };
const OPS: Actor = { userId: 'u-olga', name: 'Olga', email: null, role: 'Operations' };
const VIEWER: Actor = { userId: 'u-vic', name: 'Vic', email: null, role: 'View Only' };

const QUALIFIED = { field: 'qualified', op: 'eq', value: true };

/** The error a promise is rejected with, to check its code, message and details together. */
async function failure(
  promise: Promise<unknown>,
): Promise<{ code: string; message: string; details?: unknown }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string; details?: unknown };
  }
  throw new Error('expected a failure');
}

describe.each(testStoreTargets())('segment use cases on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let qualifiedInRun: number;
  beforeAll(async () => {
    await seedListFixture(db);
    const [row] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM account_scores s JOIN score_runs r ON r.id = s.run_id
        WHERE r.as_of = '2026-11-19' AND s.qualified`,
    );
    qualifiedInRun = row!.n;
  });
  afterEach(async () => {
    await db.exec('DELETE FROM segments; DELETE FROM segment_changes');
  });

  it('creates a segment at version 1, owned by its creator, with its members recorded at once and a history row', async () => {
    const segment = await createSegment({
      db,
      actor: ADA,
      input: {
        name: 'Qualified now',
        folder: 'Marketing - FY27 Q1 - ABM',
        tags: ['abm'],
        definition: QUALIFIED,
      },
    });
    expect(segment).toMatchObject({
      name: 'Qualified now',
      kind: 'filter',
      owner: 'ada@example.com',
      createdBy: 'ada@example.com',
      version: 1,
      published: false,
      members: qualifiedInRun,
      membersAsOf: '2026-11-19',
      definition: QUALIFIED,
    });
    const { history } = await getSegment({ db, actor: VIEWER, ref: 'qualified NOW' });
    expect(history).toEqual([
      {
        version: 1,
        action: 'created',
        changedBy: 'ada@example.com',
        changedAt: expect.any(String),
        oldValue: null,
        newValue: {
          name: 'Qualified now',
          description: null,
          folder: 'Marketing - FY27 Q1 - ABM',
          tags: ['abm'],
          kind: 'filter',
          definition: QUALIFIED,
        },
      },
    ]);
  });

  it('infers kind crm from a crm. field, and refuses a "filter" that uses one', async () => {
    const crm = await createSegment({
      db,
      actor: ADA,
      input: { name: 'Customers', definition: { field: 'crm.Type', op: 'eq', value: 'Customer' } },
    });
    expect(crm.kind).toBe('crm');
    const refused = await failure(
      createSegment({
        db,
        actor: ADA,
        input: {
          name: 'Mislabelled',
          kind: 'filter',
          definition: { field: 'crm.Type', op: 'eq', value: 'x' },
        },
      }),
    );
    expect(refused.code).toBe('invalid_segment');
  });

  it('refuses a bad definition naming its bracket path, and stores nothing', async () => {
    const unknownField = await failure(
      createSegment({
        db,
        actor: ADA,
        input: {
          name: 'Bad',
          definition: {
            all: [QUALIFIED, QUALIFIED, { any: [QUALIFIED, { field: 'colour', op: 'eq', value: 'red' }] }],
          },
        },
      }),
    );
    expect(unknownField).toMatchObject({ code: 'invalid_segment', details: { path: 'all[2].any[1]' } });
    expect(unknownField.message).toContain('all[2].any[1]');
    expect(unknownField.message).toContain('colour');

    const wrongValue = await failure(
      createSegment({
        db,
        actor: ADA,
        input: { name: 'Bad', definition: { any: [{ field: 'employees', op: 'gt', value: 'many' }] } },
      }),
    );
    expect(wrongValue).toMatchObject({ code: 'invalid_segment', details: { path: 'any[0].value' } });

    const unknownSegment = await failure(
      createSegment({
        db,
        actor: ADA,
        input: {
          name: 'Bad',
          definition: { all: [QUALIFIED, { field: 'segment', op: 'in', value: 'Nowhere' }] },
        },
      }),
    );
    expect(unknownSegment).toMatchObject({ code: 'invalid_segment', details: { path: 'all[1].value' } });
    expect(unknownSegment.message).toContain('no segment named "Nowhere"');

    const missing = await failure(
      createSegment({ db, actor: ADA, input: { name: 'Bad', definition: undefined } }),
    );
    expect(missing.code).toBe('invalid_segment');
    expect(await listSegments({ db, actor: ADA })).toEqual([]);
    expect(await db.query('SELECT * FROM segment_changes')).toEqual([]);
  });

  it('refuses a cycle of references, naming the chain, and a segment that refers to itself', async () => {
    await createSegment({ db, actor: ADA, input: { name: 'A', definition: QUALIFIED } });
    await createSegment({
      db,
      actor: ADA,
      input: { name: 'B', definition: { field: 'segment', op: 'in', value: 'A' } },
    });
    await createSegment({
      db,
      actor: ADA,
      input: { name: 'C', definition: { field: 'segment', op: 'in', value: 'b' } },
    });
    const cycle = await failure(
      updateSegment({
        db,
        actor: ADA,
        ref: 'A',
        changes: { definition: { all: [QUALIFIED, { field: 'segment', op: 'not_in', value: 'C' }] } },
      }),
    );
    expect(cycle).toMatchObject({ code: 'invalid_segment', details: { path: 'all[1].value' } });
    expect(cycle.message).toContain('cycle');
    expect(cycle.message).toContain('A → C → b → A');

    const self = await failure(
      updateSegment({
        db,
        actor: ADA,
        ref: 'C',
        changes: { definition: { field: 'segment', op: 'in', value: 'C' } },
      }),
    );
    expect(self.code).toBe('invalid_segment');
    expect(self.message).toContain('cycle');
    expect((await getSegment({ db, actor: ADA, ref: 'A' })).segment.version).toBe(1);
  });

  it('keeps names unique whatever their case (conflict)', async () => {
    await createSegment({ db, actor: ADA, input: { name: 'EMEA Tier 1', definition: QUALIFIED } });
    const again = await failure(
      createSegment({ db, actor: ADA, input: { name: 'emea tier 1', definition: QUALIFIED } }),
    );
    expect(again.code).toBe('conflict');
    await createSegment({ db, actor: ADA, input: { name: 'Other', definition: QUALIFIED } });
    const renamed = await failure(
      updateSegment({ db, actor: ADA, ref: 'Other', changes: { name: 'EMEA TIER 1' } }),
    );
    expect(renamed.code).toBe('conflict');
  });

  it('versions definition changes only, keeps old and new values of each change, and writes nothing for no change', async () => {
    const created = await createSegment({ db, actor: ADA, input: { name: 'Fit', definition: QUALIFIED } });
    const renamed = await updateSegment({
      db,
      actor: OPS,
      ref: created.id,
      // As the edge reads it: tags trimmed, blanks dropped, each once whatever its case.
      changes: updateSegmentInput.parse({ name: ' Strong fit ', tags: [' abm ', 'ABM', '', 'tier-1'] }),
    });
    expect(renamed).toMatchObject({
      name: 'Strong fit',
      version: 1,
      tags: ['abm', 'tier-1'],
      updatedBy: 'Olga',
    });
    const redefined = await updateSegment({
      db,
      actor: OPS,
      ref: 'strong fit',
      changes: { definition: { field: 'profile_fit', op: 'eq', value: 'Strong' } },
    });
    expect(redefined.version).toBe(2);
    const unchanged = await updateSegment({
      db,
      actor: OPS,
      ref: created.id,
      changes: { name: 'Strong fit' },
    });
    expect(unchanged.version).toBe(2);

    const { history } = await getSegment({ db, actor: ADA, ref: created.id });
    expect(history.map((h) => [h.version, h.action, h.changedBy])).toEqual([
      [1, 'created', 'ada@example.com'],
      [1, 'updated', 'Olga'],
      [2, 'updated', 'Olga'],
    ]);
    expect(history[1]).toMatchObject({
      oldValue: { name: 'Fit', tags: [] },
      newValue: { name: 'Strong fit', tags: ['abm', 'tier-1'] },
    });
    expect(history[2]).toMatchObject({
      oldValue: { definition: QUALIFIED },
      newValue: { definition: { field: 'profile_fit', op: 'eq', value: 'Strong' } },
    });
  });

  it('refuses to delete or rename a segment another refers to; a deletion keeps the history', async () => {
    const base = await createSegment({ db, actor: ADA, input: { name: 'Base', definition: QUALIFIED } });
    await createSegment({
      db,
      actor: ADA,
      input: { name: 'Derived', definition: { field: 'segment', op: 'in', value: 'Base' } },
    });
    const deleting = await failure(deleteSegment({ db, actor: ADA, ref: 'Base' }));
    expect(deleting.code).toBe('conflict');
    expect(deleting.message).toContain('"Derived"');
    expect(
      (await failure(updateSegment({ db, actor: ADA, ref: 'Base', changes: { name: 'Renamed' } }))).code,
    ).toBe('conflict');
    // A change of case is the same name: references still hold.
    expect((await updateSegment({ db, actor: ADA, ref: 'Base', changes: { name: 'BASE' } })).name).toBe(
      'BASE',
    );

    await deleteSegment({ db, actor: ADA, ref: 'Derived' });
    await deleteSegment({ db, actor: ADA, ref: base.id });
    expect(await listSegments({ db, actor: ADA })).toEqual([]);
    const rows = await db.query<{ action: string; old_value: { name: string } | null }>(
      'SELECT action, old_value FROM segment_changes WHERE segment_id = $1 ORDER BY id',
      [base.id],
    );
    expect(rows.map((r) => r.action)).toEqual(['created', 'updated', 'deleted']);
    expect(rows[2]!.old_value).toMatchObject({ name: 'BASE', definition: QUALIFIED });
    expect((await failure(getSegment({ db, actor: ADA, ref: base.id }))).code).toBe('not_found');
  });

  it('publishes for Operations only, keeps who and when, and records each change of state once', async () => {
    const segment = await createSegment({
      db,
      actor: ADA,
      input: { name: 'To publish', definition: QUALIFIED },
    });
    expect((await failure(publishSegment({ db, actor: ADA, ref: segment.id }))).code).toBe('forbidden');
    const published = await publishSegment({ db, actor: OPS, ref: segment.id });
    expect(published).toMatchObject({
      published: true,
      publishedBy: 'Olga',
      publishedAt: expect.any(String),
    });
    await publishSegment({ db, actor: OPS, ref: segment.id });
    const unpublished = await unpublishSegment({ db, actor: OPS, ref: 'to publish' });
    expect(unpublished).toMatchObject({ published: false, publishedBy: null, publishedAt: null, version: 1 });
    const { history } = await getSegment({ db, actor: VIEWER, ref: segment.id });
    expect(history.map((h) => h.action)).toEqual(['created', 'published', 'unpublished']);
    expect(history[1]).toMatchObject({
      changedBy: 'Olga',
      oldValue: { published: false },
      newValue: { published: true },
    });
  });

  it('lets View Only read but not change', async () => {
    expect(
      (await failure(createSegment({ db, actor: VIEWER, input: { name: 'X', definition: QUALIFIED } }))).code,
    ).toBe('forbidden');
    await createSegment({ db, actor: ADA, input: { name: 'X', definition: QUALIFIED } });
    expect((await listSegments({ db, actor: VIEWER })).map((s) => s.name)).toEqual(['X']);
    expect((await failure(deleteSegment({ db, actor: VIEWER, ref: 'X' }))).code).toBe('forbidden');
    expect((await failure(updateSegment({ db, actor: VIEWER, ref: 'X', changes: { name: 'Y' } }))).code).toBe(
      'forbidden',
    );
  });
});
