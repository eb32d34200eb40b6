/**
 * `signalfit report model-insights` as a user runs it: the real bin in a child process, from a
 * folder outside the project, on a store holding one stored run as of 2026-08-01 (docs/reports.md
 * "Model insights").
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, REPO_ROOT, runCli } from './testing';

jest.setTimeout(120_000);

describe.each(processStoreTargets('insights-cli'))('signalfit report model-insights on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 60_000, work);

  beforeAll(async () => {
    store = await target.create();
    await store.use(async (db) => {
      await migrate(db);
      // a1 (Decision) opens a relevant opportunity in the window; a2's industry is a formula.
      await db.exec(`
        INSERT INTO accounts (id, name, industry) VALUES ('a1', 'Acme', 'Software'), ('a2', 'Beta', '=HYPERLINK("x")');
        INSERT INTO score_runs (id, as_of, status, model_version) VALUES (3, '2026-08-01', 'complete', 'm');
        INSERT INTO account_scores (run_id, account_id, intent_score, buying_stage, profile_fit, reach, qualified)
          VALUES (3, 'a1', 70, 'Decision', 'Strong', 'Low', false), (3, 'a2', 10, 'Target', 'Weak', 'Low', false);
        INSERT INTO opportunities (id, account_id, relevant, is_won, created_at, closed_at)
          VALUES ('o1', 'a1', true, true, '2026-09-01T00:00:00Z', '2026-10-01T00:00:00Z');
      `);
    });
    work = mkdtempSync(path.join(tmpdir(), 'signalfit-insights-cli-'));
    expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('--json prints the object of the API', async () => {
    const result = await cli('report', 'model-insights', '--month', '2026-08', '--json');
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    const report = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(Object.keys(report).sort()).toEqual(
      [
        'account_behavior',
        'account_fit',
        'auc',
        'auc_ci',
        'contact_behavior',
        'contact_fit',
        'identification_rate',
        'notes',
        'parameters',
        'run',
        'signals',
      ].sort(),
    );
    expect(report.run).toEqual({ runId: 3, asOf: '2026-08-01' });
    expect(report.account_fit).toMatchObject({
      Strong: { accounts: 1, winners: 1, win_conversion: 1, win_lift: 2 },
    });
    expect([report.identification_rate, report.auc, report.auc_ci]).toEqual([1, 1, [1, 1]]);
  });

  it('--out writes one spreadsheet-safe CSV per table; plain text otherwise', async () => {
    const written = await cli('report', 'model-insights', '--month', '2026-08', '--out', 'insights');
    expect({ code: written.code, stderr: written.stderr }).toEqual({ code: 0, stderr: '' });
    expect(written.stdout).toBe('model insights 2026-08: 6 tables written to insights\n');
    const read = (name: string) => readFileSync(path.join(work, 'insights', `${name}.csv`), 'utf8');
    expect(read('account_behavior').split('\n').slice(0, 2)).toEqual([
      'stage,accounts,share,converters,converter_share,conversion,baseline,lift',
      'Target,1,0.5,0,0,0,1,0',
    ]);
    expect(read('account_behavior')).toContain('\nAwareness,0,0,0,0,,1,\n');
    expect(read('signals')).toContain(`\nindustry,firmographic,"'=HYPERLINK(""x"")",1,0,0,0,,0.5,\n`);
    expect(read('summary').split('\n')[1]).toBe('2026-08,2026-08-01,2026-11-01,3,2026-08-01,1,1,1,1,');

    const text = await cli('report', 'model-insights', '--month', '2026-08');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Model insights for 2026-08: scores of run 3 as of 2026-08-01');
    expect(text.stdout).toMatch(/Decision\s+1\s+50\.0 %\s+1\s+100\.0 %\s+1\.00×/);
  });

  it('a bad month, or --json with --out, fails in one line', async () => {
    for (const args of [
      ['--month', '2026-8'],
      ['--json', '--out', 'x'],
    ]) {
      const result = await cli('report', 'model-insights', ...args);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
    }
  });
});
