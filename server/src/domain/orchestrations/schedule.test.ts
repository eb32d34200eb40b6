import { nextRunAt, SCHEDULE_HOUR_UTC } from './schedule';

const next = (schedule: Parameters<typeof nextRunAt>[0], after: string) =>
  nextRunAt(schedule, new Date(after))?.toISOString() ?? null;

describe('nextRunAt', () => {
  it('runs at 06:00 UTC', () => {
    expect(SCHEDULE_HOUR_UTC).toBe(6);
  });

  it('never runs a manual orchestration by itself', () => {
    expect(next('manual', '2026-03-18T05:00:00Z')).toBeNull();
  });

  it.each([
    ['2026-03-18T05:59:59.999Z', '2026-03-18T06:00:00.000Z'],
    ['2026-03-18T06:00:00.000Z', '2026-03-19T06:00:00.000Z'],
    ['2026-03-18T06:00:00.001Z', '2026-03-19T06:00:00.000Z'],
    ['2026-03-18T23:30:00Z', '2026-03-19T06:00:00.000Z'],
    ['2026-03-31T12:00:00Z', '2026-04-01T06:00:00.000Z'],
    ['2026-12-31T07:00:00Z', '2027-01-01T06:00:00.000Z'],
  ])('daily, after %s: %s', (after, slot) => {
    expect(next('daily', after)).toBe(slot);
  });

  // 2026-03-18 is a Wednesday.
  it.each([
    [{ weekly: 'wednesday' as const }, '2026-03-18T05:00:00Z', '2026-03-18T06:00:00.000Z'],
    [{ weekly: 'wednesday' as const }, '2026-03-18T06:00:00Z', '2026-03-25T06:00:00.000Z'],
    [{ weekly: 'wednesday' as const }, '2026-03-18T09:00:00Z', '2026-03-25T06:00:00.000Z'],
    [{ weekly: 'thursday' as const }, '2026-03-18T09:00:00Z', '2026-03-19T06:00:00.000Z'],
    [{ weekly: 'tuesday' as const }, '2026-03-18T05:00:00Z', '2026-03-24T06:00:00.000Z'],
    [{ weekly: 'sunday' as const }, '2026-03-18T05:00:00Z', '2026-03-22T06:00:00.000Z'],
    [{ weekly: 'saturday' as const }, '2026-03-28T06:00:00Z', '2026-04-04T06:00:00.000Z'],
  ])('%j, after %s: %s', (schedule, after, slot) => {
    expect(next(schedule, after)).toBe(slot);
  });
});
