import { binIndex, topValues } from './oneHot';

describe('topValues', () => {
  it('keeps the most frequent values seen at least twice, ties by name', () => {
    const values = [
      'Retail',
      'Software',
      'Finance',
      'Software',
      'Retail',
      'Health',
      'Finance',
      'Software',
      'Media',
    ];
    // Software 3, Finance 2, Retail 2 (Finance before Retail), Health and Media once.
    expect(topValues(values, 10)).toEqual(['Software', 'Finance', 'Retail']);
    expect(topValues(values, 2)).toEqual(['Software', 'Finance']);
    expect(topValues(values, 10, 1)).toEqual(['Software', 'Finance', 'Retail', 'Health', 'Media']);
    expect(topValues(values, 10, 3)).toEqual(['Software']);
  });

  it('ignores missing and empty values', () => {
    expect(topValues([null, null, '', '', 'US', 'US'], 5)).toEqual(['US']);
    expect(topValues([], 5)).toEqual([]);
  });

  it('reads any iterable', () => {
    expect(topValues(new Set(['a', 'b']), 5, 1)).toEqual(['a', 'b']);
  });
});

describe('binIndex: the first upper bound the value is below', () => {
  const bounds = [11, 51, 201];
  it.each([
    [1, 0],
    [10, 0],
    [11, 1], // a bound belongs to the bin above it
    [50, 1],
    [51, 2],
    [200.5, 2],
    [201, 3],
    [1e9, 3],
  ])('%d → %d', (value, bin) => {
    expect(binIndex(value, bounds)).toBe(bin);
  });

  it('puts everything in bin 0 without bounds', () => {
    expect(binIndex(42, [])).toBe(0);
  });
});
