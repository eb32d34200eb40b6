import { parseCron } from './cron';

describe('parseCron', () => {
  test('the default schedule runs daily at 02:00 UTC', () => {
    const cron = parseCron('0 2 * * *');
    expect(cron.next(new Date('2026-11-23T01:59:30Z')).toISOString()).toBe('2026-11-23T02:00:00.000Z');
    expect(cron.next(new Date('2026-11-23T02:00:00Z')).toISOString()).toBe('2026-11-24T02:00:00.000Z');
  });

  test('steps, ranges, lists and the day rules', () => {
    expect(parseCron('*/15 * * * *').next(new Date('2026-11-23T10:07:00Z')).toISOString()).toBe(
      '2026-11-23T10:15:00.000Z',
    );
    expect(parseCron('30 9 * * 1-5').next(new Date('2026-11-21T12:00:00Z')).toISOString()).toBe(
      '2026-11-23T09:30:00.000Z',
    ); // Saturday → Monday
    expect(parseCron('0 0 29 2 *').next(new Date('2026-03-01T00:00:00Z')).toISOString()).toBe(
      '2028-02-29T00:00:00.000Z',
    );
    expect(parseCron('0 6 1,15 * 7').next(new Date('2026-11-23T00:00:00Z')).toISOString()).toBe(
      '2026-11-29T06:00:00.000Z',
    ); // a Sunday
  });

  test('bad expressions are refused with the field at fault', () => {
    expect(() => parseCron('0 2 * *')).toThrow('5 fields');
    expect(() => parseCron('61 2 * * *')).toThrow('minute "61" is outside 0-59');
    expect(() => parseCron('0 2 * * mon')).toThrow('day of week "mon"');
  });
});
