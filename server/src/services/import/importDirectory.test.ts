import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Db } from '../../store/db';
import { testStoreTargets } from '../../store/testing';
import { importDirectory } from './importDirectory';

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'signalfit-import-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
  return dir;
}

const ACCOUNTS = [
  'id,name,domain,industry,employees,annual_revenue,country,naics,technologies,created_at,crm_owner',
  '001A,"Acme, Inc.",Acme.com,Software,1200,250000000.50,us,511210,AWS; GitHub Actions;aws,2023-01-15,Jane',
  '001B,Globex,globex.io,Manufacturing,,,de,,,2022-06-01T08:00:00+02:00,',
  '001C,Initech,initech.com,Finance,"12,000",,US,,,,',
  '001D,Umbrella,umbrella.com,Healthcare,300,,USA,,,,',
  '',
].join('\n');

const CONTACTS = [
  'id,account_id,email,first_name,last_name,title,job_level,job_function,country,kind,opted_out,created_at',
  '003A,001A,Ann@Acme.com,Ann,Lee,VP Engineering,vp,Engineering,US,contact,false,2024-01-01',
  '003B,001Z,bob@nowhere.com,Bob,,,,,,lead,,',
  '003C,001B,carl@globex.io,Carl,Marx,CTO,C-Level,Engineering,DE,lead,yes,',
  '003D,001A,not-an-email,Dee,,,,,,,,',
].join('\n');

const OPPORTUNITIES = [
  'id,account_id,name,type,amount,currency,stage,is_closed,is_won,relevant,created_at,closed_at',
  '006A,001A,Acme new,New Business,50000,USD,Closed Won,true,true,true,2024-03-01,2024-05-01',
  '006B,001B,Globex renewal,Renewal,0,EUR,Prospecting,false,false,,2024-04-01,',
  '006C,001A,No date,New Business,1000,USD,Prospecting,false,false,,,',
].join('\n');

const ACTIVITIES = [
  'id,occurred_at,account_id,contact_id,type,source,keyword,url,campaign',
  'a1,2024-02-01T10:00:00Z,001A,003A,keyword_research,Bombora,DevSecOps,,',
  'a2,2024-02-02T10:00:00Z,001A,,web_visit,,,/pricing,',
  'a3,2024-02-30T10:00:00Z,001A,,web_visit,,,/pricing,',
  'a4,2024-02-03T10:00:00Z,001A,,teleport,,,,',
  'a2,2024-02-04T10:00:00Z,001B,,web_visit,,,/docs,',
  'a5,2024-02-05T10:00:00Z,001X,,email_open,,,,',
  'a6,2024-02-06T10:00:00Z,001B,003C,form_fill,,,,"Webinar ""Shift left"", May"',
  'a7,2024-02-07T10:00:00Z,001B',
].join('\n');

const KEYWORDS = [
  'keyword,product_category,kind',
  'DevSecOps,Application security,generic',
  'SAST,,generic',
].join('\n');

const ALL = {
  'activities.csv': ACTIVITIES,
  'keywords.csv': KEYWORDS,
  'opportunities.csv': OPPORTUNITIES,
  'contacts.csv': CONTACTS,
  'accounts.csv': ACCOUNTS,
};

async function tableCounts(db: Db) {
  const [row] = await db.query(`SELECT
    (SELECT count(*)::int FROM accounts) AS accounts, (SELECT count(*)::int FROM contacts) AS contacts,
    (SELECT count(*)::int FROM opportunities) AS opportunities, (SELECT count(*)::int FROM activities) AS activities,
    (SELECT count(*)::int FROM keywords) AS keywords`);
  return row;
}

/** The rejected rows of a file, in line order (the import writes them as it finds them). */
function rejectsOf(dir: string, file: string) {
  const rows = parse(readFileSync(path.join(dir, `rejected-${file}`)), { columns: true }) as Record<
    string,
    string
  >[];
  return rows.sort((a, b) => Number(a.line) - Number(b.line));
}

describe.each(testStoreTargets())('importDirectory on $name', (target) => {
  let db: Db;
  beforeEach(async () => {
    db = await target.open();
  }, 60_000);
  afterEach(async () => {
    await db.close();
  });

  it('imports every good row, whatever order the files come in, and reports each bad row with its line', async () => {
    const dir = folder(ALL);
    const report = await importDirectory({ db, dir });

    expect(report.files.map((f) => f.file)).toEqual([
      'accounts.csv',
      'contacts.csv',
      'opportunities.csv',
      'activities.csv',
      'keywords.csv',
    ]);
    expect(await tableCounts(db)).toEqual({
      accounts: 2,
      contacts: 2,
      opportunities: 2,
      activities: 3,
      keywords: 2,
    });
    expect(report.importedRows).toBe(11);
    expect(report.rejectedRows).toBe(10);

    expect(rejectsOf(dir, 'accounts.csv').map((r) => [r.line, r.column])).toEqual([
      ['4', 'employees'],
      ['5', 'country'],
    ]);
    const contactRejects = rejectsOf(dir, 'contacts.csv');
    expect(contactRejects.map((r) => [r.line, r.column])).toEqual([
      ['3', 'account_id'],
      ['5', 'email'],
    ]);
    expect(contactRejects[0]?.reason).toBe(
      'account_id "001Z" names no known account (add it to accounts.csv)',
    );
    expect(contactRejects[0]?.email).toBe('bob@nowhere.com');
    expect(rejectsOf(dir, 'opportunities.csv')).toMatchObject([
      { line: '4', column: 'created_at', reason: 'created_at is required and is blank' },
    ]);
    expect(rejectsOf(dir, 'activities.csv').map((r) => [r.line, r.column, r.reason])).toEqual([
      ['4', 'occurred_at', expect.stringContaining('"2024-02-30T10:00:00Z" is not an ISO 8601 date')],
      ['5', 'type', expect.stringContaining('"teleport" is not one of: keyword_research')],
      ['6', 'id', 'duplicate id "a2" within the file (first at line 3)'],
      ['7', 'account_id', 'account_id "001X" names no known account (add it to accounts.csv)'],
      ['9', '', 'the row has 3 fields but the header has 9 (check quoting of values with commas)'],
    ]);
    expect(existsSync(path.join(dir, 'rejected-keywords.csv'))).toBe(false);
    expect(JSON.parse(readFileSync(report.summaryFile, 'utf8')).rejectedRows).toBe(10);
  });

  it('stores canonical values: trimmed, normalised, typed', async () => {
    await importDirectory({ db, dir: folder(ALL) });
    const [acme] = await db.query(
      "SELECT name, domain, employees, annual_revenue::text AS revenue, country, technologies, created_at FROM accounts WHERE id = '001A'",
    );
    expect(acme).toEqual({
      name: 'Acme, Inc.',
      domain: 'acme.com',
      employees: 1200,
      revenue: '250000000.50',
      country: 'US',
      technologies: ['AWS', 'GitHub Actions'],
      created_at: new Date('2023-01-15T00:00:00Z'),
    });
    const [globex] = await db.query("SELECT created_at FROM accounts WHERE id = '001B'");
    expect(globex?.created_at).toEqual(new Date('2022-06-01T06:00:00Z'));
    const people = await db.query('SELECT id, email, job_level, kind, opted_out FROM contacts ORDER BY id');
    expect(people).toEqual([
      { id: '003A', email: 'ann@acme.com', job_level: 'VP', kind: 'contact', opted_out: false },
      { id: '003C', email: 'carl@globex.io', job_level: 'C-Level', kind: 'lead', opted_out: true },
    ]);
    const [renewal] = await db.query("SELECT relevant, is_closed FROM opportunities WHERE id = '006B'");
    expect(renewal).toEqual({ relevant: null, is_closed: false });
    const research = await db.query("SELECT source, keyword FROM activities WHERE id = 'a1'");
    expect(research).toEqual([{ source: 'bombora', keyword: 'devsecops' }]);
    const [form] = await db.query("SELECT campaign FROM activities WHERE id = 'a6'");
    expect(form?.campaign).toBe('Webinar "Shift left", May');
    expect(await db.query('SELECT keyword FROM keywords ORDER BY 1')).toEqual([
      { keyword: 'devsecops' },
      { keyword: 'sast' },
    ]);
  });

  it('is idempotent: the same folder twice leaves every table as after the first import', async () => {
    const dir = folder(ALL);
    await importDirectory({ db, dir });
    const snapshot = async () => ({
      counts: await tableCounts(db),
      accounts: await db.query('SELECT * FROM accounts ORDER BY id'),
      activities: await db.query('SELECT * FROM activities ORDER BY id'),
    });
    const first = await snapshot();
    const again = await importDirectory({ db, dir });
    expect(await snapshot()).toEqual(first);
    const accounts = again.files.find((f) => f.file === 'accounts.csv');
    expect(accounts).toMatchObject({ inserted: 0, updated: 0, unchanged: 2, rejected: 2 });
  });

  it('updates changed rows and leaves columns the file does not carry alone', async () => {
    await importDirectory({ db, dir: folder(ALL) });
    const report = await importDirectory({
      db,
      dir: folder({ 'accounts.csv': 'id,name\n001A,Acme Corporation\n001E,Hooli\n' }),
    });
    expect(report.files[0]).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const [acme] = await db.query("SELECT name, domain, employees FROM accounts WHERE id = '001A'");
    expect(acme).toEqual({ name: 'Acme Corporation', domain: 'acme.com', employees: 1200 });
  });

  it('fails a file with a wrong header alone, naming the missing columns', async () => {
    const dir = folder({
      'accounts.csv': ACCOUNTS,
      'contacts.csv': 'identifier,account,email\nx,001A,x@acme.com\n',
      'keywords.csv': KEYWORDS,
    });
    const report = await importDirectory({ db, dir });
    const contacts = report.files.find((f) => f.file === 'contacts.csv');
    expect(contacts?.status).toBe('failed');
    expect(contacts?.error).toBe(
      'contacts.csv: the header lacks the required column(s) id, account_id (found: identifier, account, email; expected at least: id, account_id)',
    );
    expect(await tableCounts(db)).toMatchObject({ accounts: 2, contacts: 0, keywords: 2 });
  });

  it('reports a row with broken quoting once, at the line it starts on, and keeps the rows around it', async () => {
    // Text after a closing quote: that row alone is unreadable; reading goes on at the next line,
    // and line numbers after it stay right.
    const dir = folder({
      'keywords.csv':
        'keyword,kind\nsast,generic\n"dast"x,generic\nsca,generic\n"iast",generic\n\nrasp,generic\n',
    });
    const report = await importDirectory({ db, dir });
    expect(report.files[0]).toMatchObject({ status: 'imported', rows: 5, inserted: 4, rejected: 1 });
    const [broken] = rejectsOf(dir, 'keywords.csv');
    expect(broken?.line).toBe('3');
    expect(broken?.reason).toMatch(
      /^unreadable CSV: a quoted value has text after its closing quote on line 3 /,
    );
    expect(await db.query('SELECT keyword FROM keywords ORDER BY 1')).toEqual([
      { keyword: 'iast' },
      { keyword: 'rasp' },
      { keyword: 'sast' },
      { keyword: 'sca' },
    ]);
  });

  it('counts lines across quoted line breaks, so later rows are reported at their real line', async () => {
    const dir = folder({
      'keywords.csv': 'keyword,product_category\nsast,"Testing,\nstatic"\n,blank keyword\n',
    });
    await importDirectory({ db, dir });
    expect(rejectsOf(dir, 'keywords.csv')).toMatchObject([{ line: '4', column: 'keyword' }]);
  });

  it('refuses a folder without canonical files', async () => {
    await expect(importDirectory({ db, dir: folder({ 'notes.txt': 'hi' }) })).rejects.toThrow(
      /has none of the canonical files/,
    );
  });
});
