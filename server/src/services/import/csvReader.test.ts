import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { CsvReader, MAX_ROW_CHARS, type CsvRow } from './csvReader';

/** Feeds `text` to a reader in pieces of the given sizes (cycled), then ends it. */
function read(text: string, pieces: readonly number[] = [text.length || 1]): CsvRow[] {
  const reader = new CsvReader();
  const rows: CsvRow[] = [];
  let at = 0;
  for (let i = 0; at < text.length; i++) {
    const size = Math.max(1, pieces[i % pieces.length]!);
    rows.push(...reader.push(text.slice(at, at + size)));
    at += size;
  }
  rows.push(...reader.end());
  return rows;
}

const brief = (rows: CsvRow[]) => rows.map((r) => [r.line, r.cells, r.problem === null ? null : 'problem']);

describe('CsvReader', () => {
  it('reads what csv-parse reads, at the lines it reports, whatever the chunks', () => {
    const cell = fc.string({ unit: fc.constantFrom('a', 'b', ',', '"', '\n', ' ', 'é', '='), maxLength: 8 });
    fc.assert(
      fc.property(
        fc.array(fc.array(cell, { minLength: 2, maxLength: 4 }), { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.array(fc.integer({ min: 1, max: 17 }), { minLength: 1, maxLength: 5 }),
        (records, crlf, pieces) => {
          // A line break in a value is quoted (csv-stringify leaves a bare \n unquoted in CRLF files).
          const text = stringify(records, { record_delimiter: crlf ? '\r\n' : '\n', quoted_match: /\n/ });
          // csv-parse gives the line each record ends on: the next one starts on the line after.
          const parsed = parse(text, {
            info: true,
            relax_column_count: true,
            record_delimiter: crlf ? '\r\n' : '\n',
          }) as unknown as Array<{ record: string[]; info: { lines: number } }>;
          const expected = parsed.map(({ record }, n) => [
            n === 0 ? 1 : parsed[n - 1]!.info.lines + 1,
            record,
            null,
          ]);
          expect(brief(read(text, pieces))).toEqual(expected);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('skips blank lines but counts them, and keeps an empty last field', () => {
    expect(brief(read('a,b\n\n\r\n1,\n"",x\n'))).toEqual([
      [1, ['a', 'b'], null],
      [4, ['1', ''], null],
      [5, ['', 'x'], null],
    ]);
  });

  it('reports text after a closing quote on its line alone, and reads on at the next line', () => {
    const rows = read('k,v\n"a"b,1\nc,2\n');
    expect(brief(rows)).toEqual([
      [1, ['k', 'v'], null],
      [2, ['ab,1'], 'problem'],
      [3, ['c', '2'], null],
    ]);
    expect(rows[1]!.problem).toMatch(/^a quoted value has text after its closing quote on line 2 /);
  });

  it('keeps a quote inside an unquoted value as text', () => {
    expect(brief(read('5" screen,x\n'))).toEqual([[1, ['5" screen', 'x'], null]]);
  });

  it('cuts an unclosed quote at its line once the row passes the limit, and reads the lines after it again', () => {
    const filler = Array.from({ length: 2_000 }, (_, i) => `r${i},${'y'.repeat(40)}`);
    const rows = read(['k,v', '1,"never closed', ...filler].join('\n'), [1000, 4096, 7]);
    expect(rows[1]).toEqual({
      line: 2,
      cells: ['1', 'never closed'],
      problem: expect.stringMatching(
        /^the quote opened on this line is never closed within 65,536 characters/,
      ),
    });
    expect(rows.slice(2).map((r) => [r.line, r.cells[0], r.problem])).toEqual(
      filler.map((line, i) => [i + 3, line.split(',')[0], null]),
    );
  });

  it('cuts a quote still open at the end of the file the same way', () => {
    expect(brief(read('k,v\na,"open\nb,1\nc,2'))).toEqual([
      [1, ['k', 'v'], null],
      [2, ['a', 'open'], 'problem'],
      [3, ['b', '1'], null],
      [4, ['c', '2'], null],
    ]);
  });

  it('names the line a quote opens on when the row started earlier', () => {
    const rows = read('k,v,w\na,"one\ntwo",x"\nb,1,2\n');
    // The second quote (after "x") is text: the row closes on line 3.
    expect(brief(rows)[1]).toEqual([2, ['a', 'one\ntwo', 'x"'], null]);
    const open = read('k,v,w\na,"one\ntwo","three\nb,1,2\n');
    expect(open[1]!.problem).toMatch(/^the quote opened on line 3 is never closed/);
    expect(brief(open).slice(2)).toEqual([
      [3, ['two"', 'three'], 'problem'], // read again: the quote after "two" is text now
      [4, ['b', '1', '2'], null],
    ]);
  });

  it('rejects a line longer than a row may be without keeping it, split across any chunks', () => {
    const long = 'z'.repeat(MAX_ROW_CHARS + 1);
    for (const pieces of [[1024], [MAX_ROW_CHARS + 10], [3, 65_000]]) {
      const rows = read(`k,v\n1,${long}\n2,ok\n"3",${long}\n4,ok`, pieces);
      expect(brief(rows)).toEqual([
        [1, ['k', 'v'], null],
        [2, [], 'problem'],
        [3, ['2', 'ok'], null],
        [4, [], 'problem'],
        [5, ['4', 'ok'], null],
      ]);
      expect(rows[1]!.problem).toBe('the line is longer than 65,536 characters, the most a row may hold');
    }
  });

  it('keeps a row of exactly the limit', () => {
    const cell = 'z'.repeat(MAX_ROW_CHARS - 2);
    expect(brief(read(`1,${cell}\n`))).toEqual([[1, ['1', cell], null]]);
  });
});
