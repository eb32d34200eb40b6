import {
  DAY_MS,
  DEFAULT_RELEVANT_RULE,
  isRelevantOpportunity,
  openedBefore,
  opensWithinHorizon,
  type OpportunityFact,
} from './opportunities';

const T = Date.UTC(2026, 10, 1); // 2026-11-01T00:00:00Z

function opportunity(createdMs: number, relevant = true): OpportunityFact {
  return { createdMs, closedMs: null, won: false, relevant };
}

describe('isRelevantOpportunity', () => {
  it('takes an explicit relevant value as is', () => {
    expect(isRelevantOpportunity({ relevant: true, type: 'Renewal', amount: 0 }, DEFAULT_RELEVANT_RULE)).toBe(
      true,
    );
    expect(
      isRelevantOpportunity({ relevant: false, type: 'New Business', amount: 5000 }, DEFAULT_RELEVANT_RULE),
    ).toBe(false);
  });

  it.each([
    ['New Business', 5000, true],
    ['new business', 1, true],
    ['NEW BUSINESS', 0.01, true],
    ['New Business', 0, false], // amount must be above 0
    ['New Business', -10, false],
    ['New Business', null, false],
    ['Renewal', 5000, false],
    [null, 5000, false],
  ])('default rule: type %j, amount %j → %s', (type, amount, expected) => {
    expect(isRelevantOpportunity({ relevant: null, type, amount }, DEFAULT_RELEVANT_RULE)).toBe(expected);
  });

  it('applies a configured rule', () => {
    const rule = { types: ['New Business', 'Expansion'], minimumAmount: 10_000 };
    expect(isRelevantOpportunity({ relevant: null, type: 'expansion', amount: 10_001 }, rule)).toBe(true);
    expect(isRelevantOpportunity({ relevant: null, type: 'Expansion', amount: 10_000 }, rule)).toBe(false);
  });
});

describe('opensWithinHorizon: a relevant opportunity created in [T, T + 90 days)', () => {
  it.each([
    [0, true],
    [45 * DAY_MS, true],
    [90 * DAY_MS - 1, true],
    [90 * DAY_MS, false],
    [-1, false],
  ])('created at T + %d ms → %s', (offset, expected) => {
    expect(opensWithinHorizon([opportunity(T + offset)], T)).toBe(expected);
  });

  it('ignores opportunities that are not relevant and needs only one', () => {
    expect(opensWithinHorizon([opportunity(T + DAY_MS, false)], T)).toBe(false);
    expect(opensWithinHorizon([opportunity(T - DAY_MS), opportunity(T + DAY_MS)], T)).toBe(true);
    expect(opensWithinHorizon([], T)).toBe(false);
  });
});

describe('openedBefore: a relevant opportunity created strictly before T', () => {
  it('counts only the past', () => {
    expect(openedBefore([opportunity(T - 1)], T)).toBe(true);
    expect(openedBefore([opportunity(T - 400 * DAY_MS)], T)).toBe(true);
    expect(openedBefore([opportunity(T)], T)).toBe(false);
    expect(openedBefore([opportunity(T - DAY_MS, false)], T)).toBe(false);
    expect(openedBefore([], T)).toBe(false);
  });
});
