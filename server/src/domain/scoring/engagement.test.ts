import fc from 'fast-check';
import {
  DEFAULT_ENGAGEMENT_MODEL,
  ENGAGEMENT_POINTS,
  engagementGrade,
  engagementPoints,
  engagementScore,
  FIXED_GRADE_CUTS,
  fitGradeCuts,
} from './engagement';
import type { EngagementGrade } from '../vocabulary';

describe('engagementPoints: count × points[type] × 2^(−age / 30), within 90 days', () => {
  it.each([
    ['form_fill', 0, 1, 8],
    ['sales_reply', 0, 1, 8],
    ['email_open', 30, 1, 0.5], // one half-life
    ['webinar', 60, 2, 3], // 2 × 6 × 1/4
    ['email_click', 15, 1, 3 * Math.SQRT1_2], // half a half-life
    ['trade_show', 89, 1, 5 * Math.pow(2, -89 / 30)],
    ['ad_click', 0, 3, 6],
    ['field_event', 0, 1, 6],
  ])('%s, %d days ago, × %d → %d', (type, age, count, points) => {
    expect(engagementPoints(type, age, count)).toBeCloseTo(points, 12);
  });

  it('counts nothing outside the 90-day window, in the future, or of an unknown type', () => {
    expect(engagementPoints('form_fill', 90)).toBe(0);
    expect(engagementPoints('form_fill', 120)).toBe(0);
    expect(engagementPoints('form_fill', -1)).toBe(0);
    expect(engagementPoints('web_visit', 0)).toBe(0);
    expect(engagementPoints('keyword_research', 3)).toBe(0);
  });

  it('weighs asking (form, reply) most and opening an email least', () => {
    const points = Object.values(ENGAGEMENT_POINTS);
    expect(Math.max(...points)).toBe(ENGAGEMENT_POINTS.form_fill);
    expect(ENGAGEMENT_POINTS.sales_reply).toBe(ENGAGEMENT_POINTS.form_fill);
    expect(Math.min(...points)).toBe(ENGAGEMENT_POINTS.email_open);
  });
});

describe('engagementScore: round(100 · (1 − e^(−points / 10)))', () => {
  it.each([
    [0, 0],
    [-5, 0],
    [0.5, 5], // 1 − e^−0.05 = 0.0488
    [1, 10], // 0.0952
    [8, 55], // 0.5507
    [10, 63], // 1 − 1/e = 0.6321
    [14, 75], // 0.7534
    [50, 99], // 0.99326
    [100, 100],
    [Infinity, 100],
  ])('%d points → %d', (points, score) => {
    expect(engagementScore(points)).toBe(score);
  });

  it('reproduces the documented examples', () => {
    // A form fill today: 8 points → 55 (B).
    const formToday = engagementScore(engagementPoints('form_fill', 0));
    expect([formToday, engagementGrade(formToday)]).toEqual([55, 'B']);
    // A webinar and a form fill 6 days ago: 14 · 2^(−0.2) = 12.19 points → 70 (A).
    const week = engagementScore(engagementPoints('webinar', 6) + engagementPoints('form_fill', 6));
    expect([week, engagementGrade(week)]).toEqual([70, 'A']);
    // One email open 30 days ago: 0.5 points → 5 (D).
    const open = engagementScore(engagementPoints('email_open', 30));
    expect([open, engagementGrade(open)]).toEqual([5, 'D']);
  });

  it('property: an integer in 0–100 for any number of points, never falling as points rise', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true }), fc.double({ noNaN: true }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        const [sa, sb] = [engagementScore(a), engagementScore(b)];
        return Number.isInteger(sa) && sa >= 0 && sa <= 100 && sb >= 0 && sb <= 100 && sa <= sb;
      }),
    );
  });

  it('property: any set of acts in the window scores in 0–100', () => {
    const act = fc.record({
      type: fc.constantFrom(...Object.keys(ENGAGEMENT_POINTS), 'web_visit'),
      age: fc.integer({ min: -10, max: 200 }),
      count: fc.integer({ min: 0, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(act, { maxLength: 50 }), (acts) => {
        const points = acts.reduce((sum, a) => sum + engagementPoints(a.type, a.age, a.count), 0);
        const score = engagementScore(points);
        return points >= 0 && score >= 0 && score <= 100;
      }),
    );
  });
});

describe('engagementGrade', () => {
  it.each([
    [100, 'A'],
    [70, 'A'],
    [69, 'B'],
    [40, 'B'],
    [39, 'C'],
    [15, 'C'],
    [14, 'D'],
    [0, 'D'],
  ])('%d → %s', (score, grade) => {
    expect(engagementGrade(score)).toBe(grade);
  });

  it('property: the grade never falls as the score rises', () => {
    const rank: Record<EngagementGrade, number> = { D: 0, C: 1, B: 2, A: 3 };
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 100 }), (x, y) => {
        const [a, b] = x <= y ? [x, y] : [y, x];
        return rank[engagementGrade(a)] <= rank[engagementGrade(b)];
      }),
    );
  });
});

describe('fitGradeCuts: the scores at the top 2 %, 10 % and 30 % of the engaged people', () => {
  it('cuts 100 engaged people scoring 1…100 at s₂, s₁₀ and s₃₀', () => {
    const scores = Array.from({ length: 100 }, (_, i) => i + 1);
    expect(fitGradeCuts([...scores, 0, 0, 0])).toEqual({
      cuts: { A: 99, B: 91, C: 71 },
      from: 'market shares',
    });
  });

  it('keeps ties together and the grades distinct', () => {
    // 40 people at 80, 60 at 10: A = s₂ = 80 holds all 40; B = min(s₁₀ = 80, 79), C = min(s₃₀ = 80, 78).
    const scores = [...Array.from({ length: 40 }, () => 80), ...Array.from({ length: 60 }, () => 10)];
    const { cuts } = fitGradeCuts(scores);
    expect(cuts).toEqual({ A: 80, B: 79, C: 78 });
    const grades = scores.map((s) => engagementGrade(s, { ...DEFAULT_ENGAGEMENT_MODEL, gradeCuts: cuts }));
    expect(['A', 'B', 'C', 'D'].map((g) => grades.filter((x) => x === g).length)).toEqual([40, 0, 0, 60]);
  });

  it('falls back to the fixed cuts 70 / 40 / 15 with fewer than 50 engaged people or no room for C ≥ 1', () => {
    expect(fitGradeCuts(Array.from({ length: 49 }, (_, i) => i + 1))).toEqual({
      cuts: FIXED_GRADE_CUTS,
      from: 'fixed',
    });
    expect(fitGradeCuts(Array.from({ length: 60 }, () => 1)).from).toBe('fixed');
    expect(FIXED_GRADE_CUTS).toEqual({ A: 70, B: 40, C: 15 });
  });

  it('grades on a quiet market: the fixed cuts put everyone in D, the fitted ones keep A and B', () => {
    // 200 engaged people scoring 1–10 (one email open or less each).
    const scores = Array.from({ length: 200 }, (_, i) => 1 + (i % 10));
    const { cuts } = fitGradeCuts(scores);
    expect(cuts).toEqual({ A: 10, B: 9, C: 8 });
    expect(scores.every((s) => engagementGrade(s) === 'D')).toBe(true);
    const fitted = { ...DEFAULT_ENGAGEMENT_MODEL, gradeCuts: cuts };
    expect(scores.filter((s) => engagementGrade(s, fitted) === 'A')).toHaveLength(20);
    expect(engagementGrade(0, fitted)).toBe('D');
  });
});
