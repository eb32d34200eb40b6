/**
 * `signalfit credits …` as a user runs it: the real bin in a child process (docs/command-line.md
 * "Credits").
 */
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, runCli } from './testing';

// Each command is a process opening the store: the embedded one takes seconds.
jest.setTimeout(300_000);

describe.each(processStoreTargets('credits-cli'))('signalfit credits on $name', (target) => {
  let store: ProcessStore;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 60_000);

  beforeAll(async () => {
    store = await target.create();
    await store.use((db) => migrate(db));
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
  });

  it('says no allowance is set, sets one, and shows the balance as JSON and as a table', async () => {
    const none = await cli('credits', '--json');
    expect({ code: none.code, stdout: none.stdout.trim() }).toEqual({ code: 0, stdout: 'null' });
    expect((await cli('credits')).stdout).toMatch(/^no credit allowance is set/);

    const set = await cli('credits', 'set', '--allowance', '500', '--period', 'month', '--allow-overage');
    expect({ code: set.code, stderr: set.stderr }).toEqual({ code: 0, stderr: '' });
    const shown = JSON.parse((await cli('credits', '--json')).stdout) as Record<string, unknown>;
    expect(shown).toMatchObject({
      allowance: 500,
      used: 0,
      balance: 500,
      overage: 0,
      period: 'month',
      allowOverage: true,
    });
    expect(shown.periodStart).toMatch(/^\d{4}-\d\d-01T00:00:00\.000Z$/);

    await cli('credits', 'set', '--allowance', '20');
    const table = linesOf((await cli('credits')).stdout);
    expect(table[0]).toBe('allowance  20 a month');
    expect(table.slice(2)).toEqual(['used       0', 'balance    20', 'overage    0 (allowed)']);
    await cli('credits', 'set', '--allowance', '20', '--no-allow-overage');
    expect(JSON.parse((await cli('credits', '--json')).stdout)).toMatchObject({ allowOverage: false });
  });

  it('refuses a bad allowance or period in one line', async () => {
    for (const args of [
      ['--allowance', '-3'],
      ['--allowance', 'lots'],
      ['--allowance', '5', '--period', 'week'],
    ]) {
      const refused = await cli('credits', 'set', ...args);
      expect(refused.code).toBe(1);
      expect(linesOf(refused.stderr)).toHaveLength(1);
      expect(refused.stderr).toMatch(/^signalfit: /);
    }
    expect((await cli('credits', 'set')).stderr).toMatch(/--allowance/);
  });
});
