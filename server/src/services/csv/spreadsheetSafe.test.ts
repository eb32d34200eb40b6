/**
 * CSV formula injection (docs/command-line.md "CSV files and spreadsheets"): every CSV the product writes for
 * people escapes a cell that a spreadsheet would run, and only such a cell. The rule, then the
 * two writers that are not an HTTP route: the import's rejected-row file and `signalfit export`.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { importDirectory } from '../import/importDirectory';
import { exportScores } from '../scoring/exportScores';
import { spreadsheetSafe, spreadsheetSafeCsv, spreadsheetSafeSql } from './spreadsheetSafe';

/** What a spreadsheet would run, and the text each must become. */
const FORMULAS: ReadonlyArray<[string, string]> = [
  ['=1+1', "'=1+1"],
  ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
  ['+SUM(A1)', "'+SUM(A1)"],
  ["@cmd|' /C calc'!A0", "'@cmd|' /C calc'!A0"],
  ['-2+3', "'-2+3"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['\uFF1D1+1', "'\uFF1D1+1"],
];
/** Left as they are: plain numbers, and signs that are not at the start. */
const PLAIN = ['-5', '+0.25', '-1e3', '-.5', 'Acme', 'a=1+1', ' =1', "'=1", ''];

describe('spreadsheetSafe', () => {
  it.each(FORMULAS)('escapes %j as %j', (cell, escaped) => {
    expect(spreadsheetSafe(cell)).toBe(escaped);
  });

  it.each(PLAIN)('leaves %j alone', (cell) => {
    expect(spreadsheetSafe(cell)).toBe(cell);
  });

  it('quotes each escaped cell in csv-stringify, and leaves numbers (negative too) and other cells as they were', () => {
    const text = stringify([['=1+1', -5, '-5', 'Acme', true]], spreadsheetSafeCsv({ boolean: String }));
    expect(text).toBe('"\'=1+1",-5,-5,Acme,true\n');
    const rows = parse(
      stringify(
        FORMULAS.map(([cell]) => [cell]),
        spreadsheetSafeCsv(),
      ),
      { relax_column_count: true },
    ) as string[][];
    expect(rows.map((row) => row[0])).toEqual(FORMULAS.map(([, escaped]) => escaped));
  });
});

describe.each(testStoreTargets())('the rule in SQL and the CSV files written on $name', (target) => {
  let db: Db;
  let dir: string;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-safe-csv-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('gives in SQL exactly what spreadsheetSafe gives', async () => {
    const cells = [...FORMULAS.map(([cell]) => cell), ...PLAIN];
    const rows = await db.query<{ safe: string }>(
      `SELECT ${spreadsheetSafeSql('cell')} AS safe FROM unnest($1::text[]) WITH ORDINALITY AS t(cell, n) ORDER BY n`,
      [cells],
    );
    expect(rows.map((r) => r.safe)).toEqual(cells.map(spreadsheetSafe));
  });

  it('escapes formulas in the rejected-row file of an import', async () => {
    const csv = stringify([
      ['id', 'name', 'employees'],
      ...FORMULAS.map(([cell], i) => [`a${i}`, cell, 'many']), // employees is no number: rejected
    ]);
    writeFileSync(path.join(dir, 'accounts.csv'), csv);
    const report = await importDirectory({ db, dir });
    expect(report.rejectedRows).toBe(FORMULAS.length);
    const rejects = parse(readFileSync(path.join(dir, 'rejected-accounts.csv')), {
      columns: true,
    }) as Array<Record<string, string>>;
    expect(rejects.map((r) => r.name)).toEqual(FORMULAS.map(([, escaped]) => escaped));
    expect(rejects.map((r) => r.employees)).toEqual(FORMULAS.map(() => 'many'));
  });

  it('escapes formula-like ids in account_scores.csv and contact_scores.csv', async () => {
    const [run] = await db.query<{ id: string }>(
      `INSERT INTO score_runs (as_of, status, model_version, finished_at, accounts)
       VALUES ('2026-11-19', 'complete', 'safe-csv-1', now(), 2) RETURNING id`,
    );
    for (const [i, id] of ['=1+1', '-5'].entries()) {
      await db.query(
        `INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_score, profile_fit, reach, qualified)
         VALUES ($1, $2, 50, 'Target', 40, 'Weak', 'Low', false)`,
        [run!.id, id],
      );
      await db.query(
        `INSERT INTO contact_scores (run_id, contact_id, account_id, engagement_score, engagement_grade)
         VALUES ($1, $2, $3, 10, 'D')`,
        [run!.id, `@c${i}`, id],
      );
    }
    const out = path.join(dir, 'scores');
    await exportScores(db, { dir: out, asOf: '2026-11-19', today: new Date('2026-11-20T00:00:00Z') });
    const read = (file: string) =>
      parse(readFileSync(path.join(out, file)), { columns: true }) as Array<Record<string, string>>;
    const accounts = read('account_scores.csv');
    expect(accounts.map((r) => r.account_id).sort()).toEqual(["'=1+1", '-5']);
    const contacts = read('contact_scores.csv');
    expect(contacts.map((r) => [r.contact_id, r.account_id])).toEqual([
      ["'@c0", "'=1+1"],
      ["'@c1", '-5'],
    ]);
  });
});
