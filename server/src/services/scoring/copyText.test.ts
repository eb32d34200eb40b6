import { forEachCopyRow } from './copyText';

async function rowsOf(...chunks: string[]): Promise<Array<Array<string | null>>> {
  const encoder = new TextEncoder();
  async function* source() {
    for (const chunk of chunks) yield encoder.encode(chunk);
  }
  const rows: Array<Array<string | null>> = [];
  const count = await forEachCopyRow(source(), (fields) => rows.push(fields));
  expect(count).toBe(rows.length);
  return rows;
}

describe('forEachCopyRow', () => {
  it('splits rows and fields, reads \\N as null and resolves escapes', async () => {
    expect(await rowsOf('a\t\\N\t\t1\nb\\tc\tline\\nbreak\tback\\\\slash\t\\N\n')).toEqual([
      ['a', null, '', '1'],
      ['b\tc', 'line\nbreak', 'back\\slash', null],
    ]);
  });

  it('joins rows and multi-byte characters cut across chunks, and takes a last row without a line end', async () => {
    const text = 'ünïcode\t1\nsecond\t\\N\nlast\t3';
    const bytes = new TextEncoder().encode(text);
    async function* source() {
      for (let i = 0; i < bytes.length; i += 3) yield bytes.subarray(i, i + 3);
    }
    const rows: Array<Array<string | null>> = [];
    await forEachCopyRow(source(), (fields) => rows.push(fields));
    expect(rows).toEqual([
      ['ünïcode', '1'],
      ['second', null],
      ['last', '3'],
    ]);
    expect(await rowsOf('')).toEqual([]);
  });
});
