/**
 * `signalfit segments …` as a user runs it: the real bin in a child process, run from a folder
 * outside the project (paths given are relative to it), on a store seeded with a small scored
 * market (docs/command-line.md "Segments").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { seedListFixture } from '../services/accounts/testing';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, REPO_ROOT, runCli } from './testing';

jest.setTimeout(120_000);

describe.each(processStoreTargets('segments-cli'))('signalfit segments on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 60_000, work);

  beforeAll(async () => {
    store = await target.create();
    await store.use(async (db) => {
      await migrate(db);
      await seedListFixture(db);
    });
    work = mkdtempSync(path.join(tmpdir(), 'signalfit-segments-cli-'));
    expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('creates a segment from a file and prints only its id; lists it; updates it; refuses a bad one in one line', async () => {
    writeFileSync(
      path.join(work, 'qualified.json'),
      JSON.stringify({
        name: 'Qualified',
        folder: 'ABM',
        tags: ['q'],
        definition: { field: 'qualified', op: 'eq', value: true },
      }),
    );
    const created = await cli('segments', 'create', '--file', 'qualified.json');
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^\d+\n$/);
    const id = created.stdout.trim();

    const listed = await cli('segments', 'list', '--json');
    const { segments } = JSON.parse(listed.stdout) as {
      segments: { id: number; name: string; members: number }[];
    };
    expect(segments).toEqual([
      expect.objectContaining({ id: Number(id), name: 'Qualified', kind: 'filter', members: 5 }),
    ]);
    const table = linesOf((await cli('segments', 'list')).stdout);
    expect(table[0]).toMatch(/^name\s+id\s+kind\s+folder\s+tags\s+count\s+published$/);
    expect(table[1]).toMatch(new RegExp(`^Qualified\\s+${id}\\s+filter\\s+ABM\\s+q\\s+5\\s+no$`));

    writeFileSync(
      path.join(work, 'change.json'),
      JSON.stringify({ definition: { field: 'profile_fit', op: 'eq', value: 'Strong' } }),
    );
    const updated = await cli('segments', 'update', 'qualified', '--file', 'change.json');
    expect(updated.code).toBe(0);
    expect(updated.stdout).toMatch(/version 2/);

    writeFileSync(
      path.join(work, 'bad.json'),
      JSON.stringify({ name: 'Bad', definition: { all: [{ field: 'nope', op: 'eq', value: 1 }] } }),
    );
    const bad = await cli('segments', 'create', '--file', 'bad.json');
    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(linesOf(bad.stderr)).toEqual([
      expect.stringMatching(/^signalfit: all\[0\]: unknown field "nope"/),
    ]);
    const missing = await cli('segments', 'create', '--file', 'nowhere.json');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^signalfit: cannot read nowhere\.json: ENOENT\n$/);
  });

  it('uploads a list from the working directory, reports unmatched rows in DIR/unmatched.csv, and prints its members', async () => {
    writeFileSync(path.join(work, 'booth.csv'), 'Domain\nglobex.example\nnowhere.example\n=cmd.example\n,\n');
    const uploaded = await cli(
      'segments',
      'upload',
      'Booth',
      'booth.csv',
      '--folder',
      'Events',
      '--report-dir',
      'reports',
    );
    expect({ code: uploaded.code, stderr: uploaded.stderr }).toEqual({ code: 0, stderr: '' });
    expect(uploaded.stdout).toMatch(/4 rows, 1 matched, 3 unmatched/);
    expect(readFileSync(path.join(work, 'reports', 'unmatched.csv'), 'utf8')).toBe(
      'line,value,reason\n3,nowhere.example,no account with that domain\n4,"\'=cmd.example",malformed domain\n5,,empty\n',
    );

    writeFileSync(path.join(work, 'more.csv'), 'account_id\nacct-001\n');
    expect((await cli('segments', 'upload', 'Booth', 'more.csv', '--append')).code).toBe(0);
    expect(readFileSync(path.join(work, 'unmatched.csv'), 'utf8')).toBe('line,value,reason\n');

    const members = await cli('segments', 'members', 'booth');
    expect({ code: members.code, stdout: members.stdout }).toEqual({
      code: 0,
      stdout: 'account_id\nacct-001\nacct-002\n',
    });
    const out = await cli('segments', 'members', 'Booth', '--out', 'out/booth-members.csv');
    expect(out.code).toBe(0);
    expect(readFileSync(path.join(work, 'out', 'booth-members.csv'), 'utf8')).toBe(
      'account_id\nacct-001\nacct-002\n',
    );
  });

  it('reads members as of an older run, saying on stderr when the definition was evaluated live', async () => {
    const older = await cli('segments', 'members', 'Qualified', '--as-of', '2026-11-05');
    expect(older.code).toBe(0);
    expect(older.stderr).toMatch(
      /the run of 2026-11-01 recorded no membership of "Qualified".*evaluated on that run/,
    );
    expect(linesOf(older.stdout)[0]).toBe('account_id');
    const none = await cli('segments', 'members', 'Qualified', '--as-of', '2026-10-01');
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/^signalfit: no complete score run on or before 2026-10-01/);
    const badDay = await cli('segments', 'members', 'Qualified', '--as-of', '2026-13-01');
    expect(badDay.code).toBe(1);
  });

  it('publishes and unpublishes; an unknown segment is one line and exit 1', async () => {
    const published = await cli('segments', 'publish', 'Qualified');
    expect(published.code).toBe(0);
    expect(published.stdout).toMatch(/^published segment \d+ "Qualified"/);
    const listed = JSON.parse((await cli('segments', 'list', '--json')).stdout) as {
      segments: { name: string; published: boolean }[];
    };
    expect(listed.segments.find((s) => s.name === 'Qualified')!.published).toBe(true);
    expect((await cli('segments', 'unpublish', 'Qualified')).code).toBe(0);
    const unknown = await cli('segments', 'publish', 'Nothing');
    expect({ code: unknown.code, stderr: unknown.stderr }).toEqual({
      code: 1,
      stderr: 'signalfit: no segment named "Nothing"\n',
    });
  });
});
