import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { viewCache } from './viewCache';

describe.each(testStoreTargets())('viewCache on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  let time = 0;
  const clock = () => time;
  let loads: string[] = [];
  const loader =
    (id: string, value = `${id}@${time}`) =>
    () => {
      loads.push(id);
      return Promise.resolve(value);
    };

  beforeEach(async () => {
    time = 1_000_000;
    loads = [];
    await db.exec('DELETE FROM score_runs');
    await db.exec('DELETE FROM segment_changes');
    await db.query(`INSERT INTO score_runs (as_of, status) VALUES ('2026-11-01', 'complete')`);
  });

  const settle = () => new Promise((resolve) => setImmediate(resolve));

  it('reuses a view within its time to live, answers a stale one while one reload replaces it, loads an old one afresh', async () => {
    const cached = viewCache<string>(db, { ttlMs: 30_000, clock });
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    time += 29_999;
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    expect(loads).toEqual(['A1']);
    time += 1; // 30 s old: stale, answered, reloaded once in the background
    let finishReload: (value: string) => void = () => undefined;
    const reload = new Promise<string>((resolve) => (finishReload = resolve));
    expect(await cached('A1', () => reload)).toBe('A1@1000000');
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    expect(loads).toEqual(['A1']);
    finishReload('A1 reloaded');
    await settle();
    expect(await cached('A1', loader('A1'))).toBe('A1 reloaded');
    time += 60_000; // twice the time to live: too old to answer, loaded afresh
    expect(await cached('A1', loader('A1'))).toBe('A1@1090000');
    expect(loads).toEqual(['A1', 'A1']);
  });

  it('keeps the stale view when its background reload fails, and tries again', async () => {
    const cached = viewCache<string>(db, { ttlMs: 30_000, clock });
    await cached('A1', loader('A1'));
    time += 40_000;
    expect(await cached('A1', () => Promise.reject(new Error('store down')))).toBe('A1@1000000');
    await settle();
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    await settle();
    expect(await cached('A1', loader('A1'))).toBe('A1@1040000');
  });

  it('does not keep a background reload that started before a new run was seen', async () => {
    const cached = viewCache<string>(db, { ttlMs: 30_000, runCheckMs: 1_000, clock });
    await cached('A1', loader('A1'));
    time += 40_000;
    let finishReload: (value: string) => void = () => undefined;
    const slowReload = new Promise<string>((resolve) => (finishReload = resolve));
    expect(await cached('A1', () => slowReload)).toBe('A1@1000000');
    await db.query(`INSERT INTO score_runs (as_of, status) VALUES ('2026-11-02', 'complete')`);
    time += 1_000;
    expect(await cached('A1', loader('A1'))).toBe('A1@1041000');
    finishReload('read before the new run');
    await settle();
    expect(await cached('A1', loader('A1'))).toBe('A1@1041000');
  });

  it('drops every view once a new run is complete, within the run check interval', async () => {
    const cached = viewCache<string>(db, { ttlMs: 60_000, runCheckMs: 1_000, clock });
    await cached('A1', loader('A1'));
    await db.query(`INSERT INTO score_runs (as_of, status) VALUES ('2026-11-02', 'complete')`);
    time += 999;
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    time += 1;
    expect(await cached('A1', loader('A1'))).toBe('A1@1001000');
    // A run still in progress is not current: nothing is dropped.
    await db.query(`INSERT INTO score_runs (as_of, status) VALUES ('2026-11-03', 'running')`);
    time += 1_000;
    expect(await cached('A1', loader('A1'))).toBe('A1@1001000');
    expect(loads).toEqual(['A1', 'A1']);
  });

  it('drops every view once a segment changes (the view lists its segments), within the check interval', async () => {
    const cached = viewCache<string>(db, { ttlMs: 60_000, runCheckMs: 1_000, clock });
    await cached('A1', loader('A1'));
    await db.query(
      `INSERT INTO segment_changes (segment_id, version, action, changed_by) VALUES (1, 1, 'published', 'test')`,
    );
    time += 999;
    expect(await cached('A1', loader('A1'))).toBe('A1@1000000');
    time += 1;
    expect(await cached('A1', loader('A1'))).toBe('A1@1001000');
    expect(loads).toEqual(['A1', 'A1']);
  });

  it('shares one load between concurrent requests and keeps no failure', async () => {
    const cached = viewCache<string>(db, { ttlMs: 30_000, clock });
    const both = await Promise.all([cached('A1', loader('A1')), cached('A1', loader('A1'))]);
    expect(both).toEqual(['A1@1000000', 'A1@1000000']);
    expect(loads).toEqual(['A1']);
    await expect(cached('B2', () => Promise.reject(new Error('store down')))).rejects.toThrow('store down');
    expect(await cached('B2', loader('B2'))).toBe('B2@1000000');
  });

  it('keeps at most maxEntries views, dropping the oldest', async () => {
    const cached = viewCache<string>(db, { ttlMs: 30_000, maxEntries: 2, clock });
    for (const id of ['A1', 'B2', 'C3', 'B2', 'A1']) await cached(id, loader(id));
    expect(loads).toEqual(['A1', 'B2', 'C3', 'A1']);
  });

  it('loads every time when the time to live is 0', async () => {
    const cached = viewCache<string>(db, { ttlMs: 0, clock });
    await cached('A1', loader('A1'));
    await cached('A1', loader('A1'));
    expect(loads).toEqual(['A1', 'A1']);
  });
});
