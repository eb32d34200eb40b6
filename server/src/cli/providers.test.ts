/**
 * `signalfit providers …` as a user runs it: the real bin in a child process, run from a folder
 * outside the project, with a relative --dir (docs/command-line.md "Providers").
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, REPO_ROOT, runCli } from './testing';

jest.setTimeout(120_000);

const HEADER =
  'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost';

describe.each(processStoreTargets('providers-cli'))('signalfit providers on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 60_000, work);

  beforeAll(async () => {
    store = await target.create();
    await store.use((db) => migrate(db));
    work = mkdtempSync(path.join(tmpdir(), 'signalfit-providers-cli-'));
    expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    mkdirSync(path.join(work, 'exports', 'vendor'), { recursive: true });
    writeFileSync(
      path.join(work, 'exports', 'vendor', 'provider_contacts.csv'),
      [
        HEADER,
        'p1,a@acme.com,A,B,CTO,C-Level,IT,acme.com,US,A,',
        'p2,,,,,Boss,,acme.com,,,',
        'p3,c@beta.io,,,,,,beta.io,de,b,2',
      ].join('\n'),
    );
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('adds a csv provider from a relative folder, printing the report and every bad row; lists it', async () => {
    const added = await cli(
      'providers',
      'add',
      '--name',
      'Vendor',
      '--type',
      'csv',
      '--dir',
      'exports/vendor',
    );
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    const dir = path.join(work, 'exports', 'vendor');
    expect(linesOf(added.stdout)).toEqual([
      expect.stringMatching(
        new RegExp(`^added provider \\d+ "Vendor" \\(csv, ${dir.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\)$`),
      ),
      '3 rows read, 2 good, 1 bad (bad rows are never offered):',
      'line 3: job_level "Boss" is not a job level: use one of C-Level, VP, Director, Manager, Staff, or leave it empty',
    ]);

    const listed = await cli('providers', 'list', '--json');
    expect(JSON.parse(listed.stdout)).toEqual({
      providers: [
        {
          id: expect.any(Number),
          name: 'Vendor',
          type: 'csv',
          settings: { dir },
          createdAt: expect.any(String),
          createdBy: 'command line',
        },
      ],
    });
    const table = linesOf((await cli('providers', 'list')).stdout);
    expect(table[0]).toMatch(/^name\s+id\s+type\s+location\s+added$/);
    expect(table[1]).toMatch(/^Vendor\s+\d+\s+csv\s+\S+\s+\d{4}-\d{2}-\d{2}$/);
  });

  it('exits 1 with one line when nothing can be stored: a missing folder, a taken name, a missing column', async () => {
    const missing = await cli('providers', 'add', '--name', 'Other', '--type', 'csv', '--dir', 'nowhere');
    expect(missing.code).toBe(1);
    expect(missing.stdout).toBe('');
    expect(linesOf(missing.stderr)).toEqual([
      `signalfit: the folder ${path.join(work, 'nowhere')} does not exist: give the folder that holds provider_contacts.csv`,
    ]);
    const taken = await cli(
      'providers',
      'add',
      '--name',
      'VENDOR',
      '--type',
      'csv',
      '--dir',
      'exports/vendor',
    );
    expect(taken.code).toBe(1);
    expect(taken.stderr).toMatch(/^signalfit: a provider named "VENDOR" already exists/);
    mkdirSync(path.join(work, 'broken'));
    writeFileSync(path.join(work, 'broken', 'provider_contacts.csv'), 'provider_id,email\np1,a@b.com\n');
    const broken = await cli('providers', 'add', '--name', 'Broken', '--type', 'csv', '--dir', 'broken');
    expect(broken.code).toBe(1);
    expect(broken.stderr).toMatch(/the header lacks the required column\(s\) company_domain/);
    const http = await cli(
      'providers',
      'add',
      '--name',
      'Api',
      '--type',
      'http',
      '--url',
      'https://adapter.example.com',
      '--token-env',
      'NOT_SET_ANYWHERE',
    );
    expect(http.code).toBe(1);
    expect(http.stderr).toBe(
      'signalfit: --token-env NOT_SET_ANYWHERE: that environment variable is not set or empty\n',
    );
    const names = (
      JSON.parse((await cli('providers', 'list', '--json')).stdout) as { providers: { name: string }[] }
    ).providers;
    expect(names.map((p) => p.name)).toEqual(['Vendor']);
  });
});
