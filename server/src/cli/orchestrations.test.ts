/**
 * `signalfit orchestrations …` as a user runs it: the real bin in a child process, run from a
 * folder outside the project (paths given are relative to it), on a store with two segments and
 * a provider (docs/orchestrations.md).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ACQUIRE, AUDIENCE, seedDefinitionFixture } from '../services/orchestrations/definitionTesting';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, REPO_ROOT, runCli } from './testing';

jest.setTimeout(240_000);

describe.each(processStoreTargets('orchestrations-cli'))('signalfit orchestrations on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 60_000, work);

  beforeAll(async () => {
    store = await target.create();
    await store.use(async (db) => {
      await migrate(db);
      await seedDefinitionFixture(db);
    });
    work = mkdtempSync(path.join(tmpdir(), 'signalfit-orchestrations-cli-'));
    expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    mkdirSync(path.join(work, 'defs'));
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  let id = 0;

  it('creates from a file relative to the working directory and prints only the id; lists in a table or as JSON', async () => {
    writeFileSync(path.join(work, 'defs', 'o.json'), JSON.stringify(ACQUIRE));
    const created = await cli('orchestrations', 'create', '--file', 'defs/o.json');
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^\d+\n$/);
    id = Number(created.stdout.trim());
    writeFileSync(path.join(work, 'audience.json'), JSON.stringify(AUDIENCE));
    expect((await cli('orchestrations', 'create', '--file', 'audience.json')).code).toBe(0);

    const listed = JSON.parse((await cli('orchestrations', 'list', '--json')).stdout) as {
      orchestrations: { id: number; name: string; owner: string; state: string }[];
    };
    expect(listed.orchestrations.map((o) => [o.name, o.owner, o.state])).toEqual([
      ['Buy security leaders', 'command line', 'idle'],
      ['Hot to Outreach', 'command line', 'idle'],
    ]);
    const table = linesOf((await cli('orchestrations', 'list')).stdout);
    expect(table[0]).toMatch(/^name\s+goal\s+segment\s+target\s+schedule\s+state\s+last run\s+next run$/);
    expect(table[1]).toMatch(
      /^Buy security leaders\s+acquire_contacts\s+Hot\s+Salesforce campaign 701000000000001AAA \(new leads\)\s+weekly on monday\s+idle\s+–\s+\d{4}-\d\d-\d\d 06:00 UTC$/,
    );
    expect(table[2]).toMatch(
      /^Hot to Outreach\s+add_to_audience\s+Hot\s+Outreach sequence 12\s+manual\s+idle\s+–\s+–$/,
    );
  });

  it('updates from a patch file and shows the definition with its changes', async () => {
    writeFileSync(
      path.join(work, 'defs', 'patch.json'),
      JSON.stringify({ segment: 'Cold', cooldownDays: 7 }),
    );
    const updated = await cli(
      'orchestrations',
      'update',
      'buy SECURITY leaders',
      '--file',
      'defs/patch.json',
    );
    expect({ code: updated.code, stdout: updated.stdout }).toEqual({
      code: 0,
      stdout: `updated orchestration ${id} "Buy security leaders": version 2\n`,
    });

    const shown = await cli('orchestrations', 'show', String(id));
    expect(shown.code).toBe(0);
    const lines = linesOf(shown.stdout);
    expect(lines[0]).toBe(`orchestration ${id} "Buy security leaders", version 2`);
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^segment\s+Cold \(id \d+\)$/),
        expect.stringMatching(/^provider\s+Vendor \(id \d+\)$/),
        expect.stringMatching(/^cooldown\s+7 days$/),
        expect.stringMatching(/^1\s+created\s+command line\s+\d{4}-\d\d-\d\d \d\d:\d\d UTC$/),
        expect.stringMatching(/^2\s+updated\s+command line\s+/),
      ]),
    );
    const json = JSON.parse(
      (await cli('orchestrations', 'show', 'Buy security leaders', '--json')).stdout,
    ) as {
      orchestration: { id: number };
      changes: { action: string; oldValue: unknown; newValue: unknown }[];
    };
    expect(json.orchestration.id).toBe(id);
    expect(json.changes[1]).toMatchObject({
      action: 'updated',
      oldValue: { segment: { name: 'Hot' }, cooldownDays: 30 },
      newValue: { segment: { name: 'Cold' }, cooldownDays: 7 },
    });
  });

  it('deletes', async () => {
    const deleted = await cli('orchestrations', 'delete', 'Hot to Outreach');
    expect(deleted.code).toBe(0);
    expect(deleted.stdout).toMatch(/^deleted orchestration \d+ "Hot to Outreach"/);
    expect(linesOf((await cli('orchestrations', 'list')).stdout)).toHaveLength(2);
  });

  it('refuses a missing or unparsable file, a bad definition and an unknown name in one line, exit 1', async () => {
    const missing = await cli('orchestrations', 'create', '--file', 'nowhere.json');
    expect({ code: missing.code, stdout: missing.stdout, stderr: missing.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'signalfit: cannot read nowhere.json: ENOENT\n',
    });
    writeFileSync(path.join(work, 'broken.json'), '{ "name": ');
    const broken = await cli('orchestrations', 'create', '--file', 'broken.json');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/^signalfit: broken\.json is not valid JSON: /);

    writeFileSync(
      path.join(work, 'unknown.json'),
      JSON.stringify({ ...ACQUIRE, name: 'Other', segment: 'Nope' }),
    );
    const unknown = await cli('orchestrations', 'create', '--file', 'unknown.json');
    expect({ code: unknown.code, stdout: unknown.stdout, stderr: unknown.stderr }).toEqual({
      code: 1,
      stdout: '',
      stderr: 'signalfit: segment: no segment named "Nope": see signalfit segments list\n',
    });
    writeFileSync(
      path.join(work, 'badtarget.json'),
      JSON.stringify({ ...ACQUIRE, name: 'Other', target: { type: 'fax' } }),
    );
    const badTarget = await cli('orchestrations', 'create', '--file', 'badtarget.json');
    expect(badTarget.code).toBe(1);
    expect(linesOf(badTarget.stderr)).toEqual([expect.stringMatching(/^signalfit: badtarget\.json: target/)]);

    const nobody = await cli('orchestrations', 'show', 'Nobody');
    expect({ code: nobody.code, stderr: nobody.stderr }).toEqual({
      code: 1,
      stderr: 'signalfit: no orchestration named "Nobody": see signalfit orchestrations list\n',
    });
  });
});
