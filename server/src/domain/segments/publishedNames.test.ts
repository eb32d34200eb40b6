import { compareSegmentNames, publishedSegmentsText } from './publishedNames';

describe('publishedSegmentsText', () => {
  test('no names: null (the field is cleared)', () => {
    expect(publishedSegmentsText([], 100)).toBeNull();
  });

  test('sorted without regard to case, then by exact name, joined with "; "', () => {
    expect(publishedSegmentsText(['beta', 'Alpha', 'alpha', 'Gamma', 'ALPHA'], 100)).toBe(
      'ALPHA; Alpha; alpha; beta; Gamma',
    );
    expect(publishedSegmentsText(['Zeta'], 100)).toBe('Zeta');
  });

  test('a text that fits exactly is left whole', () => {
    // "Alpha; Beta" is 11 characters
    expect(publishedSegmentsText(['Beta', 'Alpha'], 11)).toBe('Alpha; Beta');
  });

  test('a longer text is cut so that it ends with "…" at exactly the field length', () => {
    expect(publishedSegmentsText(['Beta', 'Alpha'], 10)).toBe('Alpha; Be…');
    expect(publishedSegmentsText(['Beta', 'Alpha'], 10)).toHaveLength(10);
    expect(publishedSegmentsText(['Alpha', 'Beta', 'Gamma'], 16)).toBe('Alpha; Beta; Ga…');
  });

  test('a cut at a separator drops the dangling "; "', () => {
    // the first 7 characters are "Alpha; "
    expect(publishedSegmentsText(['Alpha', 'Beta'], 8)).toBe('Alpha…');
    expect(publishedSegmentsText(['Alpha', 'Beta'], 7)).toBe('Alpha…');
  });

  test('never splits a character outside the basic plane', () => {
    // "a😀b; c": the emoji is two UTF-16 units at 1–2
    expect(publishedSegmentsText(['a😀b', 'c'], 3)).toBe('a…');
    expect(publishedSegmentsText(['a😀b', 'c'], 4)).toBe('a😀…');
  });

  test('a field of one character holds only the mark', () => {
    expect(publishedSegmentsText(['Alpha'], 1)).toBe('…');
    expect(() => publishedSegmentsText(['Alpha'], 0)).toThrow(RangeError);
  });

  test('at the real field length (32,768) many long names end in "…" and fit', () => {
    const names = Array.from(
      { length: 400 },
      (_, i) => `Segment ${String(i).padStart(3, '0')} ${'x'.repeat(80)}`,
    );
    const text = publishedSegmentsText(names, 32_768)!;
    expect(text).toHaveLength(32_768);
    expect(text.endsWith('…')).toBe(true);
    expect(text.startsWith(`Segment 000 ${'x'.repeat(80)}; Segment 001 `)).toBe(true);
  });
});

describe('compareSegmentNames', () => {
  test('case-insensitive first, exact text second', () => {
    expect(['b', 'B', 'a', 'A'].sort(compareSegmentNames)).toEqual(['A', 'a', 'B', 'b']);
    expect(compareSegmentNames('x', 'x')).toBe(0);
  });
});
