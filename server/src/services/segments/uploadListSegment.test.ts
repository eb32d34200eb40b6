import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { seedListFixture } from '../accounts/testing';
import { createSegment } from './createSegment';
import { getSegment } from './getSegment';
import { uploadListSegment } from './uploadListSegment';

const ADA: Actor = { userId: 'u-ada', name: 'Ada', email: 'ada@example.com', role: 'Marketing' };

/** Lines 2 to 12 of the list: every reason a row can have, and rows that match in each way. */
const LIST = [
  'Domain,Account_ID,note', // 1
  ',acct-001,by id', // 2
  'globex.example,,by domain', // 3
  'https://www.Initech.example/about,,scheme www and path dropped', // 4
  ',,', // 5
  'not a domain,,', // 6
  'acmecloud.example,acct-404,the id wins', // 7
  'nowhere.example,,', // 8
  'GLOBEX.example,,', // 9
  'shared.example,,two accounts', // 10
  'wwwco.example,,kept with www', // 11
  '"unclosed,,', // 12
].join('\r\n');

async function listMembers(db: Db, segmentId: number): Promise<string[]> {
  const rows = await db.query<{ account_id: string }>(
    'SELECT account_id FROM segment_list_members WHERE segment_id = $1 ORDER BY account_id',
    [segmentId],
  );
  return rows.map((r) => r.account_id);
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await promise;
  } catch (error) {
    return error as { code: string; message: string };
  }
  throw new Error('expected a failure');
}

describe.each(testStoreTargets())('list segment upload on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    await seedListFixture(db);
    await db.query(
      `INSERT INTO accounts (id, name, domain) VALUES ('acct-s1', 'Shared One', 'shared.example'),
        ('acct-s2', 'Shared Two', 'shared.example'), ('acct-w', 'With www', 'www.wwwco.example')`,
    );
  });

  it('keeps the good rows and reports every other row with its line, value and reason', async () => {
    const result = await uploadListSegment({
      db,
      actor: ADA,
      name: 'Event list',
      folder: 'Events',
      csv: LIST,
    });
    expect(result.rows).toBe(11);
    expect(result.matched).toBe(5);
    expect(result.unmatched).toEqual([
      { line: 5, value: '', reason: 'empty' },
      { line: 6, value: 'not a domain', reason: 'malformed domain' },
      { line: 7, value: 'acct-404', reason: 'unknown account id' },
      { line: 8, value: 'nowhere.example', reason: 'no account with that domain' },
      { line: 9, value: 'GLOBEX.example', reason: 'duplicate of line 3' },
      { line: 12, value: expect.stringContaining('unclosed'), reason: expect.stringMatching(/quote/) },
    ]);
    expect(result.segment).toMatchObject({
      name: 'Event list',
      kind: 'list',
      folder: 'Events',
      version: 1,
      definition: null,
    });
    expect(result.segment.members).not.toBeNull();
    expect(await listMembers(db, result.segment.id)).toEqual([
      'acct-001',
      'acct-002',
      'acct-003',
      'acct-s1',
      'acct-s2',
      'acct-w',
    ]);
  });

  it('replaces the list on a new upload, adds with append, and versions only real changes', async () => {
    const first = await uploadListSegment({
      db,
      actor: ADA,
      name: 'Rolling',
      csv: 'account_id\nacct-001\nacct-002\n',
    });
    const replaced = await uploadListSegment({
      db,
      actor: ADA,
      name: 'rolling',
      csv: 'account_id\nacct-004\n',
    });
    expect(replaced.segment).toMatchObject({ id: first.segment.id, version: 2 });
    expect(await listMembers(db, first.segment.id)).toEqual(['acct-004']);

    const appended = await uploadListSegment({
      db,
      actor: ADA,
      name: 'Rolling',
      csv: 'domain\nglobex.example\n',
      append: true,
    });
    expect(appended.segment.version).toBe(3);
    expect(await listMembers(db, first.segment.id)).toEqual(['acct-002', 'acct-004']);

    // The same rows again add nothing: no new version, no history row.
    const same = await uploadListSegment({
      db,
      actor: ADA,
      name: 'Rolling',
      csv: 'domain\nglobex.example\n',
      append: true,
    });
    expect(same.segment.version).toBe(3);
    const { history } = await getSegment({ db, actor: ADA, ref: first.segment.id });
    expect(history.map((h) => [h.version, h.action])).toEqual([
      [1, 'created'],
      [2, 'list_uploaded'],
      [3, 'list_uploaded'],
    ]);
    expect(history[1]).toMatchObject({
      changedBy: 'ada@example.com',
      oldValue: { listMembers: 2 },
      newValue: { listMembers: 1, added: 1, removed: 2, rows: 1, matched: 1, unmatched: 0, append: false },
    });
    expect(history[2]!.newValue).toMatchObject({ listMembers: 2, added: 1, removed: 0, append: true });
  });

  it('refuses a list of more than 100,000 rows whole, leaving the stored list as it was', async () => {
    const kept = await uploadListSegment({ db, actor: ADA, name: 'Big', csv: 'account_id\nacct-005\n' });
    const rows = Array.from({ length: 100_001 }, (_, i) => `acct-${i}`);
    const refused = await failure(
      uploadListSegment({ db, actor: ADA, name: 'Big', csv: `account_id\n${rows.join('\n')}\n` }),
    );
    expect(refused.code).toBe('bad_request');
    expect(refused.message).toContain('more than 100,000 rows');
    expect(refused.message).toContain('line 100002');
    expect(await listMembers(db, kept.segment.id)).toEqual(['acct-005']);
    expect((await getSegment({ db, actor: ADA, ref: 'Big' })).segment.version).toBe(1);
    // Exactly the limit is accepted.
    const atLimit = await uploadListSegment({
      db,
      actor: ADA,
      name: 'Big',
      csv: `account_id\n${rows.slice(0, 100_000).join('\n')}\n`,
    });
    // Of acct-0 … acct-99999 only acct-999 is an account of the fixture.
    expect({ rows: atLimit.rows, matched: atLimit.matched }).toEqual({ rows: 100_000, matched: 1 });
    expect(await listMembers(db, kept.segment.id)).toEqual(['acct-999']);
    expect(atLimit.unmatched[0]).toEqual({ line: 2, value: 'acct-0', reason: 'unknown account id' });
  }, 120_000);

  it('refuses a file without an account_id or domain column, an empty file, and a name of a filter segment', async () => {
    const noColumn = await failure(
      uploadListSegment({ db, actor: ADA, name: 'X', csv: 'id,website\n1,acme.com\n' }),
    );
    expect(noColumn).toMatchObject({
      code: 'bad_request',
      message: expect.stringContaining('neither account_id nor domain'),
    });
    expect((await failure(uploadListSegment({ db, actor: ADA, name: 'X', csv: '' }))).message).toContain(
      'empty',
    );
    await createSegment({
      db,
      actor: ADA,
      input: { name: 'A filter', definition: { field: 'qualified', op: 'eq', value: true } },
    });
    expect(
      (await failure(uploadListSegment({ db, actor: ADA, name: 'a FILTER', csv: 'account_id\nacct-001\n' })))
        .code,
    ).toBe('conflict');
  });

  it('reads the CSV in pieces however they are cut', async () => {
    const pieces = LIST.match(/[\s\S]{1,7}/g)!;
    const result = await uploadListSegment({ db, actor: ADA, name: 'Pieces', csv: pieces });
    expect(result.matched).toBe(5);
    expect(result.unmatched.map((r) => r.line)).toEqual([5, 6, 7, 8, 9, 12]);
  });
});
