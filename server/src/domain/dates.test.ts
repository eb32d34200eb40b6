import { addDays, daysBetween, startOfUtcDay } from './dates';

describe('startOfUtcDay', () => {
  it('is midnight UTC of the UTC day, whatever the hour', () => {
    expect(startOfUtcDay(new Date('2026-03-14T23:59:59.999Z')).toISOString()).toBe(
      '2026-03-14T00:00:00.000Z',
    );
    expect(startOfUtcDay(new Date('2026-03-14T00:00:00.000Z')).toISOString()).toBe(
      '2026-03-14T00:00:00.000Z',
    );
  });

  it('counts the UTC day, not the local one (an instant just after midnight UTC)', () => {
    expect(startOfUtcDay(new Date('2026-01-01T00:30:00+01:00')).toISOString()).toBe(
      '2025-12-31T00:00:00.000Z',
    );
  });
});

describe('addDays and daysBetween', () => {
  it('count whole UTC days across month and year ends', () => {
    expect(addDays('2026-01-31', 14)).toBe('2026-02-14');
    expect(addDays('2026-12-25', 14)).toBe('2027-01-08');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(daysBetween('2026-12-25', '2027-01-08')).toBe(14);
    expect(daysBetween('2027-01-08', '2026-12-25')).toBe(-14);
  });

  it('refuses what is not a day', () => {
    expect(() => addDays('2026-13-01', 1)).toThrow('not a day: 2026-13-01');
    expect(() => addDays('yesterday', 1)).toThrow('not a day');
  });
});
