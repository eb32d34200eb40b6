/**
 * The review's probe of `GET /api/accounts/export.csv`: account names a spreadsheet would run as
 * formulas must come out of the real route as text (docs/command-line.md "CSV files and spreadsheets").
 */
import request from 'supertest';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../../store/db';
import { testStoreTargets, useTestStore } from '../../../store/testing';
import { createApp } from '../../app';
import { TEST_EMBED_CONFIG } from '../../auth/testing';
import { captureLogger } from '../../testing';

/** Each name, and the cell the export must hold for it. */
const NAMES: ReadonlyArray<[string, string]> = [
  ['=1+1', "'=1+1"],
  ['=HYPERLINK("http://x","y")', '\'=HYPERLINK("http://x","y")'],
  ['+SUM(A1)', "'+SUM(A1)"],
  ["@cmd|' /C calc'!A0", "'@cmd|' /C calc'!A0"],
  ['-2+3', "'-2+3"],
  ['\tx', "'\tx"],
  ['\rx', "'\rx"],
  ['-5', '-5'], // a plain number runs nothing: left as it is
  ['Acme = Widgets', 'Acme = Widgets'],
];

describe.each(testStoreTargets())('the accounts export on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));

  it('writes formula-bearing account names as quoted text cells starting with a single quote', async () => {
    for (const [i, [name]] of NAMES.entries()) {
      await db.query('INSERT INTO accounts (id, name, domain) VALUES ($1, $2, $3)', [
        `acct-${i}`,
        name,
        i === 0 ? '=cmd()' : null,
      ]);
    }
    const app = createApp({
      db,
      logger: captureLogger().logger,
      version: 't',
      embed: TEST_EMBED_CONFIG,
      now: () => new Date('2026-11-20T12:00:00Z'),
      demoSignIn: { allowed: true },
    });
    const token = (await request(app).post('/api/session/demo')).body.accessToken as string;
    const res = await request(app)
      .get('/api/accounts/export.csv')
      .query({ sort: 'name', dir: 'asc' })
      .set('Authorization', `Bearer ${token}`);
    expect(res.status).toBe(200);

    const rows = parse(res.text, { columns: true }) as Array<Record<string, string>>;
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(NAMES.map((_, i) => byId.get(`acct-${i}`)?.name)).toEqual(NAMES.map(([, cell]) => cell));
    expect(byId.get('acct-0')?.domain).toBe("'=cmd()");
    // Quoted in the file itself, so the quote and the sign stay one cell's text.
    expect(res.text).toContain(`acct-0,"'=1+1","'=cmd()"`);
    expect(res.text).toContain(`acct-4,"'-2+3",`);
  });
});
