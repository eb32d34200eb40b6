import { isSalesforceId } from '../salesforceId';
import { base62, DemoIdAllocator, KEY_PREFIXES, podForSeed } from './demoIds';

describe('base62', () => {
  it.each([
    [0, 5, '00000'],
    [61, 2, '0z'],
    [62, 2, '10'],
    [62 ** 5 - 1, 5, 'zzzzz'],
  ])('%s in %s digits → %s', (value, digits, expected) => {
    expect(base62(value, digits)).toBe(expected);
  });

  it('refuses a value that does not fit', () => {
    expect(() => base62(62 ** 2, 2)).toThrow('does not fit');
  });
});

describe('DemoIdAllocator', () => {
  it('builds 18-character ids: prefix, pod, account index, sequence, checksum', () => {
    const ids = new DemoIdAllocator('Xe', 62);
    // 15 characters `001Xe0001000000`: only `X` (bit 3 of chunk 1) is upper case → 8 → I.
    expect(ids.accountId()).toBe('001Xe0001000000IAA');
    expect(ids.next(KEY_PREFIXES.contact)).toBe('003Xe0001000001IAA');
    expect(ids.next(KEY_PREFIXES.contact)).toBe('003Xe0001000002IAA');
    expect(ids.next(KEY_PREFIXES.lead)).toBe('00QXe0001000001MAA');
    expect(ids.next(KEY_PREFIXES.opportunity)).toBe('006Xe0001000001IAA');
  });

  it('gives every record of a market a distinct, valid id', () => {
    const seen = new Set<string>();
    for (const accountIndex of [0, 1, 61, 62, 3843, 1_000_000]) {
      const ids = new DemoIdAllocator(podForSeed(42), accountIndex);
      const batch = [
        ids.accountId(),
        ...Array.from({ length: 50 }, () => ids.next(KEY_PREFIXES.task)),
        ids.next(KEY_PREFIXES.event),
      ];
      for (const id of batch) {
        expect(isSalesforceId(id)).toBe(true);
        expect(id).toHaveLength(18);
        seen.add(id);
      }
    }
    expect(seen.size).toBe(6 * 52);
  });

  it('derives a two-character pod from the seed', () => {
    expect(podForSeed(42)).toMatch(/^[0-9A-Za-z]{2}$/);
    expect(podForSeed(42)).toBe(podForSeed(42));
    expect(new Set([1, 2, 3, 4, 5, 6].map(podForSeed)).size).toBeGreaterThan(3);
  });

  it('refuses account indexes beyond 62⁵', () => {
    expect(() => new DemoIdAllocator('Xe', 62 ** 5)).toThrow('account index out of range');
  });
});
