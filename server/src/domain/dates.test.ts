import { startOfUtcDay } from './dates';

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
