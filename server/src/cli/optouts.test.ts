/**
 * `signalfit optouts …` as a user runs it: the real bin in a child process, from another working
 * directory (docs/command-line.md "Opt-outs").
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, runCli } from './testing';

jest.setTimeout(300_000);

describe.each(processStoreTargets('optouts-cli'))('signalfit optouts on $name', (target) => {
  let store: ProcessStore;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  const cli = (...args: string[]) => runCli(args, env, 60_000, dir);

  beforeAll(async () => {
    store = await target.create();
    await store.use((db) => migrate(db));
    env = cliEnv(store.env);
    dir = mkdtempSync(path.join(tmpdir(), 'optouts-cli-'));
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports a file (bad rows reported, good rows kept, exit 1), exports it, and the export imports back unchanged', async () => {
    writeFileSync(
      path.join(dir, 'in.csv'),
      'EMAIL,Domain\nJo@Acme.com,\nnope,\n,https://www.Beta.io/about\n,,\njo@acme.com,\n',
    );
    const imported = await cli('optouts', 'import', 'in.csv');
    expect({ code: imported.code, lines: linesOf(imported.stdout), stderr: imported.stderr }).toEqual({
      code: 1,
      lines: ['rows 5, added 2, already listed 1, bad 2', 'line 3: malformed email', 'line 5: empty'],
      stderr: '',
    });

    const exported = await cli('optouts', 'export', 'out.csv');
    expect({ code: exported.code, stdout: exported.stdout }).toEqual({
      code: 0,
      stdout: 'wrote 2 entries to out.csv\n',
    });
    const file = readFileSync(path.join(dir, 'out.csv'), 'utf8');
    expect(linesOf(file).map((l) => l.split(',').slice(0, 4).join(','))).toEqual([
      'email,domain,source,reason',
      'jo@acme.com,,import,',
      ',beta.io,import,',
    ]);
    const again = await cli('optouts', 'import', 'out.csv');
    expect({ code: again.code, stdout: again.stdout }).toEqual({
      code: 0,
      stdout: 'rows 2, added 0, already listed 2, bad 0\n',
    });
  });

  it('adds, lists, removes, and reports; refuses a malformed value in one line', async () => {
    expect((await cli('optouts', 'add', 'https://Gamma.com/x', '--reason', 'legal')).stdout).toBe(
      'added domain gamma.com\n',
    );
    const bad = await cli('optouts', 'add', 'jo@');
    expect({ code: bad.code, stderr: bad.stderr }).toEqual({
      code: 1,
      stderr: 'signalfit: malformed email: "jo@"\n',
    });
    expect((await cli('optouts', 'remove', 'JO@acme.com')).stdout).toBe('removed email jo@acme.com\n');
    const listed = JSON.parse((await cli('optouts', 'list', '--json')).stdout) as {
      value: string;
      createdBy: string;
    }[];
    expect(listed.map((e) => e.value).sort()).toEqual(['beta.io', 'gamma.com']);
    expect(listed.every((e) => e.createdBy === 'command line')).toBe(true);
    const text = linesOf((await cli('optouts', 'report', '--since', '2000-01-01')).stdout);
    expect(text.slice(1)).toEqual([
      'new opt-outs: 0 addresses and 2 domains on the list, 0 people flagged opted out',
      'still in pushed audiences: 0',
    ]);
  });
});
