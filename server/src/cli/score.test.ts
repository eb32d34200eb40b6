/**
 * `signalfit score`, `export` and `backtest` as a black box: the real bin on a fresh embedded
 * store, on data written here by hand in the canonical format (not by the project's generator)
 * and on a generated market large enough to train every model.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { cliEnv, linesOf, runCli } from './testing';

let root: string;
beforeAll(() => {
  root = mkdtempSync(path.join(tmpdir(), 'signalfit-score-cli-'));
});
afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function handWrittenMarket(dir: string): void {
  mkdirSync(dir, { recursive: true });
  // Extra columns, timestamps with offsets, no `relevant` column (the default rule decides).
  writeFileSync(
    path.join(dir, 'accounts.csv'),
    'id,name,industry,employees,annual_revenue,country,technologies,created_at,crm_owner\n' +
      'A1,Acme,Software,1200,90000000,US,Kubernetes;AWS,2025-01-05T10:00:00+02:00,jo\n' +
      'A2,Beta GmbH,Manufacturing,80,,DE,,2025-03-01,max\n' +
      'A3,"Gamma, Inc.",Software,15000,2000000000,GB,Azure,2026-10-30T23:00:00Z,li\n',
  );
  writeFileSync(
    path.join(dir, 'contacts.csv'),
    'id,account_id,email,first_name,last_name,title,job_level,job_function,kind,opted_out\n' +
      'C1,A1,ana@acme.example,Ana,Silva,VP Engineering,VP,Engineering,contact,false\n' +
      'C2,A1,,Bo,Li,Software Engineer,Staff,Engineering,lead,false\n' +
      'C3,A2,cy@beta.example,Cy,Ng,CFO,C-Level,Finance,contact,true\n',
  );
  writeFileSync(
    path.join(dir, 'opportunities.csv'),
    'id,account_id,name,type,amount,created_at,closed_at,is_won\n' +
      'O1,A1,Acme platform,New Business,50000,2026-06-01,2026-08-15,true\n' +
      'O2,A2,Beta renewal,Renewal,10000,2026-07-01,,\n',
  );
  writeFileSync(
    path.join(dir, 'keywords.csv'),
    'keyword,product_category,kind\ncode security,AppSec,generic\nacme scanner,Brand,branded\n',
  );
  writeFileSync(
    path.join(dir, 'activities.csv'),
    'id,occurred_at,account_id,contact_id,type,source,keyword,url,campaign\n' +
      'X1,2026-10-20T09:00:00Z,A1,,keyword_research,bombora,code security,,\n' +
      'X2,2026-10-21T09:00:00Z,A1,,keyword_research,g2,unrelated topic,,\n' +
      'X3,2026-10-22T09:00:00Z,A1,C1,webinar,map,,,Webinar Q4\n' +
      'X4,2026-10-25T09:00:00Z,A1,,web_visit,web,,https://www.example.com/pricing?utm=x,\n' +
      'X5,2026-10-26T09:00:00Z,A2,,sales_call,crm,,,\n' +
      'X6,2026-11-05T09:00:00Z,A1,C1,form_fill,map,,,Demo request\n',
  );
}

describe('signalfit score, export and backtest', () => {
  it('scores hand-written canonical data as of a day with no other setup, says why a model is missing, and exports', async () => {
    const market = path.join(root, 'hand');
    handWrittenMarket(market);
    const env = cliEnv({ SIGNALFIT_DATA_DIR: path.join(root, 'hand-store') });
    expect((await runCli(['import', market], env, 90_000)).code).toBe(0);

    const scored = await runCli(['score', '--as-of', '2026-11-01'], env, 90_000);
    expect({ code: scored.code, stderr: scored.stderr }).toEqual({ code: 0, stderr: '' });
    const lines = linesOf(scored.stdout);
    expect(lines[0]).toMatch(/^scored 3 accounts and 3 people as of 2026-11-01 in the embedded store/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^ {2}intent: no model — too little history: 1 relevant opportunities opened in the training windows, at least 20 needed$/,
      ),
    );

    const out = path.join(root, 'hand-export');
    const exported = await runCli(['export', out, '--as-of', '2026-11-01'], env, 90_000);
    expect(exported.code).toBe(0);
    const accounts = parse(readFileSync(path.join(out, 'account_scores.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    expect(accounts.map((a) => a.account_id)).toEqual(['A1', 'A2', 'A3']);
    for (const account of accounts)
      expect(account).toMatchObject({
        as_of: '2026-11-01',
        intent_score: '',
        buying_stage: '',
        qualified: 'false',
      });
    const people = parse(readFileSync(path.join(out, 'contact_scores.csv')), { columns: true }) as Record<
      string,
      string
    >[];
    // The webinar on Oct 22, 9 whole days before, counts (6 × 2^(−9/30) = 4.87 points → score 39, C); the form fill after the day does not.
    expect(people.find((p) => p.contact_id === 'C1')).toMatchObject({
      engagement_score: '39',
      engagement_grade: 'C',
      persona: 'Executive sponsor',
    });
    expect(people.find((p) => p.contact_id === 'C3')).toMatchObject({ persona: 'Finance and procurement' });
  }, 240_000);

  it('trains every model on a generated market, exports its run and backtests it', async () => {
    const market = path.join(root, 'generated');
    const env = cliEnv({ SIGNALFIT_DATA_DIR: path.join(root, 'generated-store') });
    const demo = ['demo', '--csv', market, '--accounts', '400', '--seed', '31', '--end-date', '2026-11-01'];
    expect((await runCli(demo, env, 90_000)).code).toBe(0);
    expect((await runCli(['import', market], env, 120_000)).code).toBe(0);

    const scored = await runCli(['score', '--as-of', '2026-11-01'], env, 120_000);
    expect(scored.code).toBe(0);
    expect(scored.stdout).toMatch(
      /intent: (logistic|naive_bayes), validation AUC 0\.\d{3} \(logistic\) \/ 0\.\d{3} \(naive Bayes\),/,
    );
    expect(scored.stdout).toMatch(
      /profile fit: (logistic|naive_bayes), validation AUC 0\.\d{3} \(logistic\) \/ 0\.\d{3} \(naive Bayes\),/,
    );
    // The stage cuts the run used, and how each stage converted in training, in the stages' order.
    expect(scored.stdout).toMatch(
      /\n {2}buying stages: lift cuts [\d.]+ \(configured\)(?: \/ [\d.]+ \((?:configured|separation|conversions|top share)\)){3}; conversion in training: Target [\d.]+%, Awareness [\d.–%]+, Consideration [\d.–%]+, Decision [\d.–%]+, Purchase [\d.–%]+\n/,
    );

    const backtest = await runCli(['backtest', '--as-of', '2026-11-01', '--json'], env, 120_000);
    expect(backtest.code).toBe(0);
    const report = JSON.parse(backtest.stdout) as {
      scoredAsOf: string;
      intentAuc: number;
      byStage: unknown[];
      fitForecast: Array<{ days: number; converted: number | null; auc: number | null }>;
    };
    expect(report.scoredAsOf).toBe('2026-08-03');
    expect(report.intentAuc).toBeGreaterThan(0.7);
    expect(report.byStage).toHaveLength(5);
    // The fit judged on the next 90 days after 2026-08-03; the next 180 would end after the facts.
    expect(report.fitForecast.map((f) => f.days)).toEqual([90, 180]);
    expect(report.fitForecast[0]?.auc).toBeGreaterThan(0.5);
    expect(report.fitForecast[1]).toEqual({ days: 180, converted: null, auc: null });

    const text = await runCli(['backtest', '--as-of', '2026-11-01'], env, 120_000);
    expect(text.stdout).toMatch(
      /\n {2}people by engagement grade \(converted: their account opened one\)\n {4}A +[\d,]+ people /,
    );
    expect(text.stdout).toMatch(
      /\n {2}profile fit AUC against the relevant opportunities of the next 90 days 0\.\d{3}, next 180 days not measurable \(the facts end before\)\n/,
    );
  }, 360_000);

  it('refuses a day that is not a date with one line', async () => {
    const env = cliEnv({ SIGNALFIT_DATA_DIR: path.join(root, 'never-created') });
    const result = await runCli(['score', '--as-of', '2026-02-30'], env, 30_000);
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr)).toEqual([
      'signalfit: --as-of must be a date like 2026-01-31 (got "2026-02-30")',
    ]);
  }, 30_000);
});
