import { isSalesforceId, normalizeSalesforceId, toSalesforceId18 } from './salesforceId';

describe('toSalesforceId18', () => {
  it.each([
    // No upper-case letter anywhere: every chunk is 0 → A.
    ['001000000000001', '001000000000001AAA'],
    // Chunk 3 `1ZwTi`: Z (bit 1) + T (bit 3) = 10 → K.
    ['00570000001ZwTi', '00570000001ZwTiAAK'],
    // Chunk 3 `XyZaB`: X (bit 0) + Z (bit 2) + B (bit 4) = 21 → V.
    ['0013000000XyZaB', '0013000000XyZaBAAV'],
    // Chunk 1 `a0B5g`: B (bit 2) = 4 → E; chunk 3 all upper = 31 → 5.
    ['a0B5g00000ZZZZZ', 'a0B5g00000ZZZZZEA5'],
    // Every character upper case: 31 → 5 in every chunk.
    ['ABCDEABCDEABCDE', 'ABCDEABCDEABCDE555'],
  ])('%s → %s', (id15, id18) => {
    expect(toSalesforceId18(id15)).toBe(id18);
  });

  it.each(['', '00100000000000', '0010000000000011', '00100000000000!', '001000000000001AAA'])(
    'rejects %j',
    (bad) => {
      expect(() => toSalesforceId18(bad)).toThrow('not a 15-character Salesforce id');
    },
  );
});

describe('isSalesforceId', () => {
  it.each([
    ['001000000000001', true],
    ['001000000000001AAA', true],
    ['00570000001ZwTiAAK', true],
    ['00570000001ZwTiAAA', false], // wrong checksum
    ['00570000001zwtiAAK', false], // case lost: valid only after normalising
    ['00570000001ZwTiaak', false], // suffix must be upper case
    ['00570000001ZwTi-AK', false],
    ['0057000000', false],
    ['', false],
  ])('%j → %s', (id, expected) => {
    expect(isSalesforceId(id)).toBe(expected);
  });
});

describe('normalizeSalesforceId', () => {
  it('appends the checksum to a 15-character id and trims whitespace', () => {
    expect(normalizeSalesforceId(' 00570000001ZwTi\t')).toBe('00570000001ZwTiAAK');
  });

  it('keeps a valid 18-character id', () => {
    expect(normalizeSalesforceId('0013000000XyZaBAAV')).toBe('0013000000XyZaBAAV');
  });

  it.each(['00570000001zwtiaak', '00570000001ZWTIAAK', '00570000001zWtIaaK'])(
    'restores the case of %s from its checksum',
    (mangled) => {
      expect(normalizeSalesforceId(mangled)).toBe('00570000001ZwTiAAK');
    },
  );

  it.each([
    ['a checksum that marks a digit as upper case', '001000000000001AAB'],
    ['a checksum character outside A–Z0–5', '001000000000001AA9'],
    ['16 characters', '0010000000000011'],
    ['a non-alphanumeric character', '00100000000000_AAA'],
    ['an empty string', ''],
  ])('returns null for %s', (_what, id) => {
    expect(normalizeSalesforceId(id)).toBeNull();
  });

  it('round-trips: every normalised id is valid and normalising it again changes nothing', () => {
    for (const id of ['001000000000001', '0013000000XyZaB', 'a0B5g00000ZZZZZ', 'zzzzzZZZZZ00000']) {
      const normalised = normalizeSalesforceId(id);
      expect(normalised).not.toBeNull();
      expect(isSalesforceId(normalised as string)).toBe(true);
      expect(normalizeSalesforceId(normalised as string)).toBe(normalised);
      expect(normalizeSalesforceId((normalised as string).toLowerCase())).toBe(normalised);
    }
  });
});
