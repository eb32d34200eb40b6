/**
 * `signalfit report segment-performance` as a user runs it: the real bin in a child process, on a
 * store holding the small market of services/reports/segmentPerformanceTesting.ts.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSegmentPerformanceMarket } from '../services/reports/segmentPerformanceTesting';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, runCli } from './testing';

jest.setTimeout(120_000);

describe.each(processStoreTargets('reports-cli'))(
  'signalfit report segment-performance on $name',
  (target) => {
    let store: ProcessStore;
    let work: string;
    let env: NodeJS.ProcessEnv;
    const cli = (...args: string[]) => runCli(args, env, 60_000, work);
    const base = [
      'report',
      'segment-performance',
      '--segment',
      'Focus',
      '--baseline',
      '2026-01',
      '--analysis',
      '2026-02..2026-03',
    ];

    beforeAll(async () => {
      store = await target.create();
      await store.use(async (db) => {
        await migrate(db);
        await loadSegmentPerformanceMarket(db);
      });
      work = mkdtempSync(path.join(tmpdir(), 'signalfit-reports-cli-'));
      env = cliEnv(store.env);
    });
    afterAll(async () => {
      await store?.dispose();
      rmSync(work, { recursive: true, force: true });
    });

    it('prints the report as JSON', async () => {
      const result = await cli(...base, '--json');
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const report = JSON.parse(result.stdout) as Record<string, unknown>;
      expect(report.summary).toEqual({
        accounts: 3,
        increased: 2,
        decreased: 1,
        unchanged: 0,
        pipeline_count: 2,
        pipeline_amount: 1000,
        won_count: 0,
        won_amount: 0,
      });
      expect(Object.keys(report)).toEqual(
        expect.arrayContaining([
          'parameters',
          'runs',
          'summary',
          'distribution',
          'movement',
          'activities',
          'notes',
        ]),
      );
    });

    it('writes one CSV per table', async () => {
      const result = await cli(...base, '--type', 'stage', '--out', 'out');
      expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
      const read = (name: string) =>
        readFileSync(path.join(work, 'out', name), 'utf8')
          .trim()
          .split('\n');
      expect(read('summary.csv')).toEqual([
        'accounts,increased,decreased,unchanged,pipeline_count,pipeline_amount,won_count,won_amount',
        '3,2,1,0,2,1000,0,0',
      ]);
      expect(read('distribution.csv')).toContain('Decision,baseline,1,0,0,1,500');
      expect(read('movement.csv')[0]).toBe(
        'baseline_stage,not_scored,Target,Awareness,Consideration,Decision,Purchase',
      );
      expect(read('movement.csv')).toContain('Decision,0,1,0,0,0,0');
      expect(read('activities.csv')[0]).toBe(
        'view,panel,metric,source,baseline_accounts,analysis_accounts,change_pct,pipeline_amount,won_amount',
      );
    });

    it('prints a text summary, and refuses a bad month in one line', async () => {
      const text = await cli(...base, '--type', 'engagement', '--cohort', 'baseline');
      expect(text.code).toBe(0);
      expect(text.stdout).toContain('accounts 3: increased 1, decreased 1, unchanged 1');
      const bad = await cli('report', 'segment-performance', '--segment', 'Focus', '--baseline', '2026-1');
      expect(bad.code).not.toBe(0);
      expect(bad.stderr).toBe(
        'signalfit: baseline: "2026-1" is not a month (YYYY-MM) or a range of months (YYYY-MM..YYYY-MM)\n',
      );
    });
  },
);
