import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { dueSlot, queueDueRuns } from './orchestrationScheduler';
import { insertOrchestration, seedRunMarket } from './runTesting';

describe('dueSlot', () => {
  const base = new Date('2026-11-16T07:00:00Z'); // a Monday, after that day's 06:00 slot
  it('is null until the first slot after the base has come', () => {
    expect(dueSlot('daily', base, new Date('2026-11-17T05:59:59Z'))).toBeNull();
    expect(dueSlot('daily', base, new Date('2026-11-17T06:00:00Z'))).toEqual(
      new Date('2026-11-17T06:00:00Z'),
    );
    expect(dueSlot('manual', base, new Date('2027-01-01T00:00:00Z'))).toBeNull();
  });
  it('is the latest slot that has come when several have (missed slots are not made up for)', () => {
    expect(dueSlot('daily', base, new Date('2026-11-20T10:00:00Z'))).toEqual(
      new Date('2026-11-20T06:00:00Z'),
    );
    expect(dueSlot({ weekly: 'wednesday' }, base, new Date('2026-12-03T10:00:00Z'))).toEqual(
      new Date('2026-12-02T06:00:00Z'),
    );
  });
});

describe.each(testStoreTargets())('the orchestration scheduler on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('queues one run per slot however many instances tick, and the next slot only when it comes', async () => {
    const { segmentId, providerId } = await seedRunMarket(db);
    const changed = new Date('2026-11-16T07:00:00Z');
    const daily = await insertOrchestration(db, {
      name: 'Daily',
      segmentId,
      providerId,
      schedule: 'daily',
      updatedAt: changed,
    });
    await insertOrchestration(db, { name: 'Manual', segmentId, providerId, updatedAt: changed });
    const weekly = await insertOrchestration(db, {
      name: 'Weekly',
      segmentId,
      providerId,
      schedule: { weekly: 'friday' },
      updatedAt: changed,
    });

    expect(await queueDueRuns(db, new Date('2026-11-17T05:00:00Z'))).toEqual([]);
    // Two instances tick at the same moment: each slot becomes one run.
    const at = new Date('2026-11-17T06:00:30Z');
    const rounds = await Promise.all([queueDueRuns(db, at), queueDueRuns(db, at), queueDueRuns(db, at)]);
    expect(rounds.flat()).toHaveLength(1);
    const slots = () =>
      db.query<{ orchestration_id: string; slot: Date; trigger: string; state: string }>(
        'SELECT orchestration_id, slot, trigger, state FROM orchestration_runs ORDER BY id',
      );
    expect(
      (await slots()).map((r) => [
        Number(r.orchestration_id),
        new Date(r.slot).toISOString(),
        r.trigger,
        r.state,
      ]),
    ).toEqual([[daily, '2026-11-17T06:00:00.000Z', 'schedule', 'queued']]);
    // The same slot again, later the same day: nothing new.
    expect(await queueDueRuns(db, new Date('2026-11-17T23:00:00Z'))).toEqual([]);
    // Friday: the daily slot and the weekly one, once each.
    const friday = new Date('2026-11-20T06:01:00Z');
    expect((await Promise.all([queueDueRuns(db, friday), queueDueRuns(db, friday)])).flat()).toHaveLength(2);
    expect((await slots()).map((r) => [Number(r.orchestration_id), new Date(r.slot).toISOString()])).toEqual([
      [daily, '2026-11-17T06:00:00.000Z'],
      expect.anything(),
      expect.anything(),
    ]);
    const [fridays] = await db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM orchestration_runs WHERE slot = '2026-11-20T06:00:00Z' AND orchestration_id IN ($1, $2)`,
      [daily, weekly],
    );
    expect(fridays?.n).toBe(2);
  });
});
