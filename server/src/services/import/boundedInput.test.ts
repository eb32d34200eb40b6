/**
 * Bounded input (docs/command-line.md "Import", the limits): a cell over its column's limit rejects its row and
 * nothing else; a row longer than a row may be is rejected without reading it into memory; an
 * unclosed quote is reported at the line where it opens, the rows after it are still imported,
 * and reading stays linear in the file's size.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { CsvReader, MAX_ROW_CHARS } from './csvReader';
import { IMPORT_FORMATS, TEXT_LIMITS } from './formats';
import { importDirectory } from './importDirectory';
import { parseCsvFile } from './parseCsvFile';

const ACTIVITY_HEADER = 'id,occurred_at,account_id,type,campaign';

function activity(i: number, campaign = 'spring'): string {
  return `act-${i},2025-03-01T10:00:00Z,acc-1,web_visit,${campaign}`;
}

/** A folder holding `files`, for one import. */
function folder(root: string, name: string, files: Record<string, string>): string {
  const dir = path.join(root, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(files)) writeFileSync(path.join(dir, file), text);
  return dir;
}

function rejectsOf(dir: string, file: string): Array<Record<string, string>> {
  return parse(readFileSync(path.join(dir, `rejected-${file}`)), { columns: true }) as Array<
    Record<string, string>
  >;
}

/** Text no compression shrinks (an index entry of it is as large as it is long). */
function incompressible(length: number): string {
  return randomBytes(length).toString('base64').slice(0, length);
}

/** Text columns bounded by their format: a choice from a list, a two-letter country code. */
const BOUNDED_BY_FORMAT = new Set([
  'activities.type',
  'contacts.kind',
  'keywords.kind',
  'contacts.job_level',
  'accounts.country',
  'contacts.country',
]);

it('has a limit for every free-text column of every file', () => {
  for (const format of Object.values(IMPORT_FORMATS)) {
    for (const [column, type] of Object.entries(format.sqlTypes)) {
      if (!type.startsWith('text') || BOUNDED_BY_FORMAT.has(`${format.entity}.${column}`)) continue;
      expect([format.file, column, TEXT_LIMITS[column] ?? 'no limit']).toEqual([
        format.file,
        column,
        expect.any(Number),
      ]);
    }
  }
});

describe.each(testStoreTargets())('bounded input on $name', (target) => {
  let db: Db;
  let root: string;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => {
    root = mkdtempSync(path.join(tmpdir(), 'signalfit-bounded-'));
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  beforeEach(async () => {
    await db.exec('TRUNCATE accounts, activities CASCADE');
  });

  it('rejects only the row of a 5,000-character account name, with its line and reason', async () => {
    const dir = folder(root, 'long-name', {
      'accounts.csv': [
        'id,name,domain',
        'acc-1,Acme,acme.com',
        `acc-2,${incompressible(5_000)},long.example`,
        'acc-3,Globex,globex.com',
      ].join('\n'),
    });
    const report = await importDirectory({ db, dir });

    expect(report.files[0]).toMatchObject({ status: 'imported', rows: 3, inserted: 2, rejected: 1 });
    expect(rejectsOf(dir, 'accounts.csv').map((r) => [r.line, r.column, r.reason])).toEqual([
      ['3', 'name', 'name is 5,000 characters long, more than the 255 allowed'],
    ]);
    expect(await db.query('SELECT id FROM accounts ORDER BY id')).toEqual([{ id: 'acc-1' }, { id: 'acc-3' }]);
  });

  it('keeps a name of exactly 255 characters, and rejects a url over 2,048', async () => {
    const name = incompressible(255);
    const dir = folder(root, 'at-limit', {
      'accounts.csv': `id,name\nacc-1,${name}\n`,
      'activities.csv': [
        ACTIVITY_HEADER + ',url',
        `${activity(1)},https://example.com/${'a'.repeat(2_048 - 20)}`,
        `${activity(2)},https://example.com/${'a'.repeat(2_048)}`,
      ].join('\n'),
    });
    const report = await importDirectory({ db, dir });
    expect(report.files.map((f) => [f.file, f.inserted, f.rejected])).toEqual([
      ['accounts.csv', 1, 0],
      ['activities.csv', 1, 1],
    ]);
    expect(rejectsOf(dir, 'activities.csv').map((r) => [r.line, r.column, r.reason])).toEqual([
      ['3', 'url', 'url is 2,068 characters long, more than the 2,048 allowed'],
    ]);
    expect(await db.query('SELECT length(name) AS n FROM accounts')).toEqual([{ n: 255 }]);
  });

  it('rejects the row of a 10 MB cell with bounded memory, and imports the others', async () => {
    await db.query("INSERT INTO accounts (id) VALUES ('acc-1')");
    const dir = folder(root, 'huge-cell', {});
    const file = path.join(dir, 'activities.csv');
    const out = createWriteStream(file);
    out.write(`${ACTIVITY_HEADER}\n`);
    for (let i = 1; i <= 1_000; i++) out.write(`${activity(i)}\n`);
    out.write(`act-huge,2025-03-01T10:00:00Z,acc-1,web_visit,`);
    const block = 'x'.repeat(1024 * 1024);
    for (let i = 0; i < 10; i++) out.write(block);
    out.write('\n');
    for (let i = 1_001; i <= 2_000; i++) out.write(`${activity(i)}\n`);
    out.end();
    await once(out, 'finish');

    global.gc?.();
    const before = process.memoryUsage.rss();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
    let report;
    try {
      report = await importDirectory({ db, dir });
    } finally {
      clearInterval(sampler);
    }

    expect(report.files[0]).toMatchObject({ status: 'imported', rows: 2_001, inserted: 2_000, rejected: 1 });
    const [rejected] = rejectsOf(dir, 'activities.csv');
    expect([rejected?.line, rejected?.reason]).toEqual([
      '1002',
      `unreadable CSV: the line is longer than ${MAX_ROW_CHARS.toLocaleString('en-US')} characters, the most a row may hold`,
    ]);
    expect((peak - before) / 1024 / 1024).toBeLessThan(200);
  }, 60_000);

  it('reports an unclosed quote on line 10 of activities.csv at that line, and imports every other row', async () => {
    await db.query("INSERT INTO accounts (id) VALUES ('acc-1')");
    const lines = [ACTIVITY_HEADER];
    for (let i = 2; i <= 5_000; i++) lines.push(i === 10 ? activity(i, '"spring sale') : activity(i));
    const dir = folder(root, 'unclosed', { 'activities.csv': `${lines.join('\n')}\n` });
    const report = await importDirectory({ db, dir });

    expect(report.files[0]).toMatchObject({ status: 'imported', rows: 4_999, inserted: 4_998, rejected: 1 });
    expect(rejectsOf(dir, 'activities.csv').map((r) => [r.line, r.reason, r.id])).toEqual([
      [
        '10',
        'unreadable CSV: the quote opened on this line is never closed within 65,536 characters ' +
          '(close it, or double each quote inside a value: ""); reading went on at the next line',
        'act-10',
      ],
    ]);
    const [count] = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM activities WHERE id <> 'act-10'",
    );
    expect(count?.n).toBe(4_998);
  });
});

/** Reads a file through the import's parser (no database) and returns what it read. */
async function parseRows(file: string): Promise<{ rows: number; rejectedLines: number[] }> {
  let rows = 0;
  const rejectedLines: number[] = [];
  for await (const event of parseCsvFile(IMPORT_FORMATS.activities, file)) {
    if (event.kind !== 'batch') continue;
    rows += event.read;
    rejectedLines.push(...event.rejects.map((r) => r.line));
  }
  return { rows, rejectedLines };
}

/** The characters the CSV reader reads to read `text` in 64 KiB pieces, as the import feeds it. */
function readerWork(text: string): number {
  const reader = new CsvReader();
  for (let at = 0; at < text.length; at += 64 * 1024) reader.push(text.slice(at, at + 64 * 1024));
  reader.end();
  return reader.charsRead;
}

// The work is counted, not timed: a wall-clock ratio measures the machine's other work too.
it('reads a file whose 10th line opens an unclosed quote with work linear in its size', async () => {
  const root = mkdtempSync(path.join(tmpdir(), 'signalfit-unclosed-work-'));
  try {
    const write = (rows: number) => {
      const file = path.join(root, `activities-${rows}.csv`);
      const lines = [ACTIVITY_HEADER];
      for (let i = 2; i <= rows + 1; i++) lines.push(i === 10 ? activity(i, '"never closed') : activity(i));
      const text = `${lines.join('\n')}\n`;
      writeFileSync(file, text);
      return { file, text };
    };
    const small = write(100_000);
    const large = write(200_000);

    expect(await parseRows(small.file)).toEqual({ rows: 100_000, rejectedLines: [10] });
    expect(await parseRows(large.file)).toEqual({ rows: 200_000, rejectedLines: [10] });
    // Each character once, and the lines the unclosed quote swallowed once more: the same
    // amount again in either file, less than a row may hold.
    const rereadSmall = readerWork(small.text) - small.text.length;
    const rereadLarge = readerWork(large.text) - large.text.length;
    expect(rereadLarge).toBe(rereadSmall);
    expect(rereadSmall).toBeGreaterThan(0);
    expect(rereadSmall).toBeLessThanOrEqual(MAX_ROW_CHARS);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}, 60_000);
