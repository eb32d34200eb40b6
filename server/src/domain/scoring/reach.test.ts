import { REACH_POINTS } from './intentFeatures';
import { reachOf } from './reach';

describe('reachOf', () => {
  it.each([
    [0, 'Low'],
    [1.99, 'Low'],
    [2, 'Medium'],
    [9.99, 'Medium'],
    [10, 'High'],
    [250, 'High'],
  ])('%d points → %s', (points, level) => {
    expect(reachOf(points)).toBe(level);
  });

  it('reads the documented examples with REACH_POINTS', () => {
    const p = REACH_POINTS as Record<string, number>;
    // A meeting, two calls and two sales emails: 4 + 2·2 + 2·1 = 10.
    expect(reachOf((p.sales_meeting ?? 0) + 2 * (p.sales_call ?? 0) + 2 * (p.sales_email ?? 0))).toBe('High');
    // One call: 2.
    expect(reachOf(p.sales_call ?? 0)).toBe('Medium');
    // Four marketing emails: 4 · 0.5 = 2.
    expect(reachOf(4 * (p.email_sent ?? 0))).toBe('Medium');
    // Five ad impressions: 5 · 0.2 = 1.
    expect(reachOf(5 * (p.ad_impression ?? 0))).toBe('Low');
  });
});
