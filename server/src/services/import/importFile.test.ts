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
    expect(rejected.slice(1).map((line) => line.split(',').slice(0, 2).join(','))).toEqual([
      '5,occurred_at',
      '4,account_id',
      '6,id',
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
