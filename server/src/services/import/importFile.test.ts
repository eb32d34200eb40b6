import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Db } from '../../store/db';
import { testStoreTargets } from '../../store/testing';
import { IMPORT_FORMATS } from './formats';
import { importFile } from './importFile';

const ACTIVITIES = [
  'ID,Occurred_At,Account_ID,Type,Source,Keyword,Extra',
  'a1,2024-02-01T10:00:00+02:00,acc1,keyword_research,G2,SAST,x',
  'a2,2024-02-01,acc1,web_visit,,,',
  'a3,2024-02-01T10:00:00Z,acc2,web_visit,,,',
  'a4,yesterday,acc1,web_visit,,,',
  'a1,2024-02-02T10:00:00Z,acc1,web_visit,,,',
].join('\r\n');

describe.each(testStoreTargets())('importFile on $name', (target) => {
  let db: Db;
  beforeAll(async () => {
    db = await target.open();
    await db.query("INSERT INTO accounts (id) VALUES ('acc1')");
  }, 60_000);
  afterAll(async () => {
    await db.close();
  });
  beforeEach(async () => {
    await db.exec('TRUNCATE activities');
  });

  // The worker thread is what large files use; small ones parse inline. Both must agree.
  it.each([true, false])('gives the same rows and rejects with parseInWorker=%s', async (parseInWorker) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-import-file-'));
    const file = path.join(dir, 'activities.csv');
    writeFileSync(file, ACTIVITIES);
    const report = await importFile({
      db,
      format: IMPORT_FORMATS.activities,
      path: file,
      reportDir: dir,
      parseInWorker,
      batchSize: 2,
    });
    expect(report).toMatchObject({
      status: 'imported',
      rows: 5,
      inserted: 2,
      updated: 0,
      unchanged: 0,
      rejected: 3,
    });
    expect(await db.query('SELECT id, occurred_at, source, keyword FROM activities ORDER BY id')).toEqual([
      { id: 'a1', occurred_at: new Date('2024-02-01T08:00:00Z'), source: 'g2', keyword: 'sast' },
      { id: 'a2', occurred_at: new Date('2024-02-01T00:00:00Z'), source: null, keyword: null },
    ]);
    const rejected = readFileSync(path.join(dir, 'rejected-activities.csv'), 'utf8').trim().split('\n');
    expect(rejected[0]).toBe(
      'line,column,reason,id,occurred_at,account_id,contact_id,type,source,keyword,url,campaign',
    );
    const byLine = (a: string, b: string) => parseInt(a, 10) - parseInt(b, 10);
    expect(
      rejected
        .slice(1)
        .map((line) => line.split(',').slice(0, 2).join(','))
        .sort(byLine),
    ).toEqual(['4,account_id', '5,occurred_at', '6,id']);
  });

  it('loads an empty table batch by batch and still rejects keys repeated within and across batches', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-import-file-'));
    const file = path.join(dir, 'activities.csv');
    const rows = [
      'id,occurred_at,account_id,type',
      'b1,2024-01-01,acc1,web_visit', // line 2, batch 1
      'b2,2024-01-02,acc1,web_visit',
      'b3,2024-01-03,acc1,web_visit', // batch 2
      'b1,2024-01-04,acc1,web_visit', // repeats line 2, loaded with batch 1
      'b5,2024-01-05,nobody,web_visit', // rejected by the parser: batch 3 is lines 7 and 8
      'b5,2024-01-06,acc1,web_visit',
      'b6,2024-01-07,acc1,web_visit',
      'b7,2024-01-08,acc1,web_visit', // batch 4
      'b7,2024-01-09,acc1,web_visit', // repeats line 9 within the batch
    ];
    writeFileSync(file, rows.join('\n'));
    const report = await importFile({
      db,
      format: IMPORT_FORMATS.activities,
      path: file,
      reportDir: dir,
      batchSize: 2,
    });
    expect(report).toMatchObject({ status: 'imported', rows: 9, inserted: 6, rejected: 3 });
    expect(await db.query('SELECT id, occurred_at FROM activities ORDER BY id')).toEqual([
      { id: 'b1', occurred_at: new Date('2024-01-01T00:00:00Z') },
      { id: 'b2', occurred_at: new Date('2024-01-02T00:00:00Z') },
      { id: 'b3', occurred_at: new Date('2024-01-03T00:00:00Z') },
      { id: 'b5', occurred_at: new Date('2024-01-06T00:00:00Z') },
      { id: 'b6', occurred_at: new Date('2024-01-07T00:00:00Z') },
      { id: 'b7', occurred_at: new Date('2024-01-08T00:00:00Z') },
    ]);
    const rejected = readFileSync(path.join(dir, 'rejected-activities.csv'), 'utf8')
      .trim()
      .split('\n')
      .slice(1);
    // Batches load while the parser reads on: rejects are written as they are found.
    const byLine = (a: string, b: string) => parseInt(a, 10) - parseInt(b, 10);
    expect(rejected.map((line) => line.split(',').slice(0, 3).join(',')).sort(byLine)).toEqual([
      '5,id,"duplicate id ""b1"" within the file (an earlier line has it)"',
      '6,account_id,"account_id ""nobody"" names no known account (add it to accounts.csv)"',
      '10,id,"duplicate id ""b7"" within the file (first at line 9)"',
    ]);
  });

  it('fails a header without a required column in the worker too, and changes nothing', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-import-file-'));
    const file = path.join(dir, 'activities.csv');
    writeFileSync(file, 'id,account_id,type\na9,acc1,web_visit\n');
    const report = await importFile({
      db,
      format: IMPORT_FORMATS.activities,
      path: file,
      reportDir: dir,
      parseInWorker: true,
    });
    expect(report.status).toBe('failed');
    expect(report.error).toMatch(/^activities.csv: the header lacks the required column\(s\) occurred_at/);
    expect(await db.query('SELECT count(*)::int AS n FROM activities')).toEqual([{ n: 0 }]);
  });
});
