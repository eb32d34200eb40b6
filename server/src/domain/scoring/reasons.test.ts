import fc from 'fast-check';
import { plural, topReasons } from './reasons';

const text = (j: number) => `signal ${j}`;

describe('topReasons', () => {
  it('orders by size, strongest first, keeping the sign and rounding to two decimals', () => {
    expect(topReasons([0.5, -2.346, 1.2, 0, 3.14159], text)).toEqual([
      { text: 'signal 4', weight: 3.14 },
      { text: 'signal 1', weight: -2.35 },
      { text: 'signal 2', weight: 1.2 },
      { text: 'signal 0', weight: 0.5 },
    ]);
  });

  it('keeps at most `limit` reasons (5 by default)', () => {
    const contributions = [1, 2, 3, 4, 5, 6, 7, -8];
    expect(topReasons(contributions, text).map((r) => r.weight)).toEqual([-8, 7, 6, 5, 4]);
    expect(topReasons(contributions, text, 2).map((r) => r.text)).toEqual(['signal 7', 'signal 6']);
    expect(topReasons(contributions, text, 0)).toEqual([]);
  });

  it('leaves out contributions smaller than 0.01 in size', () => {
    expect(topReasons([0.0099, -0.0099, 0.01, -0.01], text)).toEqual([
      { text: 'signal 2', weight: 0.01 },
      { text: 'signal 3', weight: -0.01 },
    ]);
    expect(topReasons([], text)).toEqual([]);
  });

  it('keeps the input order between equal sizes', () => {
    expect(topReasons([1, -1, 1], text).map((r) => r.text)).toEqual(['signal 0', 'signal 1', 'signal 2']);
  });

  it('skips signals without words and fills in with the next strongest', () => {
    const silent = (j: number) => (j === 0 || j === 2 ? null : `signal ${j}`);
    expect(topReasons([9, 8, 7, 6, 5], silent, 2)).toEqual([
      { text: 'signal 1', weight: 8 },
      { text: 'signal 3', weight: 6 },
    ]);
  });

  it('property: the `limit` strongest of the 2·limit strongest that have words, in order', () => {
    const input = fc.record({
      contributions: fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { maxLength: 40 }),
      silent: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
      limit: fc.integer({ min: 1, max: 8 }),
    });
    fc.assert(
      fc.property(input, ({ contributions, silent, limit }) => {
        const textOf = (j: number) => (silent[j] ? null : `signal ${j}`);
        const expected = contributions
          .map((c, j) => ({ c, j }))
          .filter(({ c }) => Math.abs(c) >= 0.01)
          .sort((a, b) => Math.abs(b.c) - Math.abs(a.c) || a.j - b.j)
          .slice(0, 2 * limit)
          .filter(({ j }) => !silent[j])
          .slice(0, limit)
          .map(({ c, j }) => ({ text: `signal ${j}`, weight: Math.round(c * 100) / 100 }));
        expect(topReasons(contributions, textOf, limit)).toEqual(expected);
      }),
    );
  });
});

describe('plural', () => {
  it.each([
    [0, 'visit', undefined, '0 visits'],
    [1, 'visit', undefined, '1 visit'],
    [2, 'visit', undefined, '2 visits'],
    [1, 'person', 'people', '1 person'],
    [3, 'person', 'people', '3 people'],
    [1.5, 'point', undefined, '1.5 points'],
  ])('%d %s → %s', (count, one, many, expected) => {
    expect(plural(count, one, many)).toBe(expected);
  });
});
