/**
 * `signalfit orchestrations preview|run|history|repush` as a user runs them: the real bin in a
 * child process, from a folder outside the project (relative paths), with a real csv provider
 * added by `providers add`, on the small market of runTesting (docs/orchestration-runs.md). Then
 * a run killed with SIGKILL at a step and run again at once (issue 15 item 11).
 *
 * Spawned runs are slow on the embedded store: the contract runs on PostgreSQL when
 * TEST_DATABASE_URL is set (else on PGlite), and the kill on both.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { parse } from 'csv-parse/sync';
import { MARKET_ROWS, seedRunMarket } from '../services/orchestrations/runTesting';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore, type ProcessStoreTarget } from '../store/testing';
import { cliEnv, collect, linesOf, REPO_ROOT, runCli, spawnCli } from './testing';

jest.setTimeout(240_000);

const PROVIDER_HEADER = [
  'provider_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'job_level',
  'job_function',
  'company_domain',
  'country',
  'email_confidence',
  'cost',
];

/** The market's provider rows as a vendor's export. */
function providerFile(): string {
  return stringify([
    PROVIDER_HEADER,
    ...MARKET_ROWS.map((r) => [
      r.providerId,
      r.email?.trim() ?? '',
      r.firstName ?? '',
      r.lastName ?? '',
      r.title ?? '',
      r.jobLevel ?? '',
      r.jobFunction ?? '',
      r.companyDomain,
      r.country ?? '',
      r.emailConfidence ?? '',
      String(r.cost),
    ]),
  ]);
}

const DEFINITION = {
  name: 'Acquire',
  goal: 'acquire_contacts',
  segment: 'Software',
  provider: 'Files',
  target: { type: 'csv' },
  filters: { titles: [{ exclude: ['intern'] }], maxPerAccount: 2 },
  cooldownDays: 30,
};

/** Without an earlier purchase, the market's picks (runTesting): two at acme, one at beta, one at gamma. */
const BOUGHT = ['p06', 'p07', 'p09', 'p10'];
const SKIPPED: [string, string][] = [
  ['p01', 'no_email'],
  ['p02', 'opted_out'],
  ['p03', 'already_in_crm'],
  ['p04', 'restricted_region'],
  ['p05', 'filtered_out'],
  ['p08', 'cap_reached'],
];

/** The contract's store: PostgreSQL when there is one (spawns on PGlite are slow), else PGlite. */
function contractTarget(): ProcessStoreTarget[] {
  const targets = processStoreTargets('orchestration-runs-cli');
  return [targets.find((t) => t.name === 'postgres') ?? targets[0]!];
}

/** A store with the market (segment "Software") and a work folder holding the provider's export. */
async function prepare(target: ProcessStoreTarget, prefix: string) {
  const store = await target.create();
  await store.use(async (db) => {
    await migrate(db);
    await seedRunMarket(db);
  });
  const work = mkdtempSync(path.join(tmpdir(), `signalfit-${prefix}-`));
  expect(path.relative(REPO_ROOT, work).startsWith('..')).toBe(true);
  mkdirSync(path.join(work, 'vendor'));
  writeFileSync(path.join(work, 'vendor', 'provider_contacts.csv'), providerFile());
  return { store, work };
}

describe.each(contractTarget())('signalfit orchestrations runs on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;
  const cli = (...args: string[]) => runCli(args, env, 90_000, work);

  beforeAll(async () => {
    ({ store, work } = await prepare(target, 'orchestration-runs-cli'));
    env = cliEnv(store.env);
    const added = await cli('providers', 'add', '--name', 'Files', '--type', 'csv', '--dir', 'vendor');
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    expect((await cli('credits', 'set', '--allowance', '10')).code).toBe(0);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  const listed = async () =>
    (
      JSON.parse((await cli('orchestrations', 'list', '--json')).stdout) as {
        orchestrations: { name: string }[];
      }
    ).orchestrations;

  it('refuses a bad o.json naming the field, exit 1, and stores nothing', async () => {
    const bad: [string, object, RegExp][] = [
      ['segment.json', { ...DEFINITION, segment: 'Nope' }, /segment: no segment named "Nope"/],
      ['provider.json', { ...DEFINITION, provider: 'Nobody' }, /provider\b.*Nobody/],
      ['target.json', { ...DEFINITION, target: { type: 'fax' } }, /target/],
      [
        'filter.json',
        { ...DEFINITION, filters: { titles: [{ levels: 'VP' }] } },
        /filters\.titles\.0\.levels|filters\.titles\[0\]\.levels/,
      ],
    ];
    for (const [file, definition, message] of bad) {
      writeFileSync(path.join(work, file), JSON.stringify(definition));
      const refused = await cli('orchestrations', 'create', '--file', file);
      expect({ file, code: refused.code, stdout: refused.stdout }).toEqual({ file, code: 1, stdout: '' });
      expect(linesOf(refused.stderr)).toEqual([expect.stringMatching(message)]);
    }
    expect(await listed()).toEqual([]);
  });

  let id = 0;

  it('creates from a relative file, printing only the id; lists it', async () => {
    mkdirSync(path.join(work, 'defs'));
    writeFileSync(path.join(work, 'defs', 'o.json'), JSON.stringify(DEFINITION));
    const created = await cli('orchestrations', 'create', '--file', 'defs/o.json');
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    expect(created.stdout).toMatch(/^\d+\n$/);
    id = Number(created.stdout.trim());
    expect(await listed()).toEqual([expect.objectContaining({ id, name: 'Acquire', state: 'idle' })]);
  });

  it('previews into a relative folder: the sample, every candidate and every account with the issue columns; buys nothing', async () => {
    const preview = await cli('orchestrations', 'preview', 'Acquire', '--out', 'out');
    expect({ code: preview.code, stderr: preview.stderr }).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(path.join(work, 'out')).sort()).toEqual([
      'accounts.csv',
      'candidates.csv',
      'preview.csv',
    ]);
    const read = (file: string) =>
      parse(readFileSync(path.join(work, 'out', file), 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
    const header = (file: string) => readFileSync(path.join(work, 'out', file), 'utf8').split(/\r?\n/)[0];
    const candidateHeader =
      'provider_id,email,first_name,last_name,title,job_level,job_function,country,email_confidence,cost,account_id,why';
    expect(header('preview.csv')).toBe(candidateHeader);
    expect(header('candidates.csv')).toBe(candidateHeader);
    expect(header('accounts.csv')).toBe('account_id,name,domain,candidates,skipped_reason');
    const sample = read('preview.csv');
    expect(sample.length).toBeLessThanOrEqual(100);
    expect(sample.map((r) => r.provider_id).sort()).toEqual(BOUGHT);
    expect(
      read('candidates.csv')
        .map((r) => [r.provider_id, r.account_id])
        .sort(),
    ).toEqual([
      ['p06', 'a1'],
      ['p07', 'a1'],
      ['p08', 'a1'],
      ['p09', 'a2'],
      ['p10', 'a3'],
    ]);
    expect(read('candidates.csv').every((r) => r.why !== '' && r.cost === '1')).toBe(true);
    expect(read('candidates.csv').find((r) => r.provider_id === 'p08')!.why).toMatch(/cap 2/);
    const accounts = read('accounts.csv');
    expect(accounts.map((a) => a.account_id).sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'a5']);
    expect(accounts.find((a) => a.account_id === 'a5')).toMatchObject({ candidates: '0' });
    expect(accounts.find((a) => a.account_id === 'a5')!.skipped_reason).not.toBe('');
    const credits = JSON.parse((await cli('credits', '--json')).stdout) as { used: number };
    expect(credits.used).toBe(0);
  });

  let runId = 0;

  it('runs and waits: --json gives the id and the counts; history lists it and gives its records; credits show the use', async () => {
    const ran = await cli('orchestrations', 'run', 'Acquire', '--json');
    expect({ code: ran.code, stderr: ran.stderr }).toEqual({ code: 0, stderr: '' });
    const result = JSON.parse(ran.stdout) as { id: number; counts: Record<string, number> };
    expect(result).toMatchObject({
      id: expect.any(Number),
      counts: { purchased: 4, pushed: 4, skipped: 6, failed: 0 },
    });
    runId = result.id;

    const runs = JSON.parse((await cli('orchestrations', 'history', 'Acquire', '--json')).stdout) as {
      id: number;
      state: string;
    }[];
    expect(runs).toEqual([expect.objectContaining({ id: runId, state: 'complete' })]);
    const detail = await cli('orchestrations', 'history', 'Acquire', '--run', String(runId), '--json');
    expect(detail.code).toBe(0);
    const records = (
      JSON.parse(detail.stdout) as {
        provider_id: string;
        email: string | null;
        outcome: string;
        reason: string | null;
        target_id: string | null;
      }[]
    ).sort((a, b) => a.provider_id.localeCompare(b.provider_id));
    expect(records.map((r) => [r.provider_id, r.outcome, r.reason])).toEqual(
      [
        ...SKIPPED.map(([p, reason]) => [p, 'skipped', reason]),
        ...BOUGHT.map((p) => [p, 'pushed', null]),
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    expect(records.find((r) => r.provider_id === 'p06')).toMatchObject({
      email: 'p06@acme.com',
      target_id: null,
    });
    expect(records.every((r) => 'target_id' in r && 'email' in r && 'reason' in r)).toBe(true);

    const credits = JSON.parse((await cli('credits', '--json')).stdout) as Record<string, unknown>;
    expect(credits).toMatchObject({ allowance: 10, used: 4, balance: 6, overage: 0 });
  });

  it('a rerun buys nothing more; a re-push with nothing open pushes nothing; credits are unchanged', async () => {
    const again = JSON.parse((await cli('orchestrations', 'run', 'Acquire', '--json')).stdout) as {
      counts: Record<string, number>;
    };
    expect(again.counts).toMatchObject({ purchased: 0, pushed: 0, failed: 0 });
    const repush = await cli('orchestrations', 'repush', 'Acquire');
    expect({ code: repush.code, stderr: repush.stderr }).toEqual({ code: 0, stderr: '' });
    expect(repush.stdout).toMatch(/^run \d+ complete: purchased 0, pushed 0, skipped 0, failed 0\n$/);
    const ofRun = await cli('orchestrations', 'repush', 'Acquire', '--run', String(runId));
    expect(ofRun.code).toBe(0);
    const credits = JSON.parse((await cli('credits', '--json')).stdout) as Record<string, unknown>;
    expect(credits).toMatchObject({ used: 4, balance: 6 });
  });
});

describe.each(processStoreTargets('orchestration-kill'))('a run killed with SIGKILL on $name', (target) => {
  let store: ProcessStore;
  let work: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    ({ store, work } = await prepare(target, 'orchestration-kill'));
    env = cliEnv(store.env);
    await store.use(async (db) => {
      await db.run(
        `INSERT INTO contact_providers (name, type, settings) VALUES ('Files', 'csv', $1::jsonb)`,
        [JSON.stringify({ dir: path.join(work, 'vendor') })],
      );
      await db.run(
        `INSERT INTO credit_settings (id, allowance, period, allow_overage) VALUES (1, 10, 'month', false)`,
      );
    });
    // No cooldown: only the cap keeps the rerun from buying a third person at acme.
    writeFileSync(path.join(work, 'o.json'), JSON.stringify({ ...DEFINITION, cooldownDays: 0 }));
    const created = await runCli(['orchestrations', 'create', '--file', 'o.json'], env, 90_000, work);
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(work, { recursive: true, force: true });
  });

  it('paused after the purchase and killed, the run is run again at once: not refused, the dead run interrupted, each contact bought and charged once', async () => {
    const child = spawnCli(
      ['orchestrations', 'run', 'Acquire'],
      { ...env, SIGNALFIT_TEST_PAUSE_AT: 'purchased' },
      work,
    );
    const ended = collect(child, 120_000);
    await new Promise<void>((resolve, reject) => {
      let stderr = '';
      const timer = setTimeout(() => reject(new Error(`not paused within 90 s: ${stderr}`)), 90_000);
      child.stderr.on('data', (chunk: string) => {
        stderr += chunk;
        if (stderr.includes('paused at purchased')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    child.kill('SIGKILL');
    expect((await ended).signal).toBe('SIGKILL');

    const again = await runCli(['orchestrations', 'run', 'Acquire', '--json'], env, 90_000, work);
    expect({ code: again.code, stderr: again.stderr }).toEqual({ code: 0, stderr: '' });
    const second = JSON.parse(again.stdout) as { id: number; counts: Record<string, number> };
    expect(second.counts).toMatchObject({ purchased: 4, pushed: 4, failed: 0 });

    await store.use(async (db) => {
      const runs = await db.query<{ id: string; state: string }>(
        'SELECT id, state FROM orchestration_runs ORDER BY id',
      );
      expect(runs.map((r) => r.state)).toEqual(['interrupted', 'complete']);
      expect(Number(runs[1]!.id)).toBe(second.id);
      const bought = await db.query<{ provider_contact_id: string; n: number }>(
        `SELECT provider_contact_id, count(*)::int AS n FROM contact_purchases GROUP BY 1 ORDER BY 1`,
      );
      expect(bought).toEqual(BOUGHT.map((p) => ({ provider_contact_id: p, n: 1 })));
      const charged = await db.query<{ provider_contact_id: string }>(
        `SELECT p.provider_contact_id FROM credit_ledger l JOIN contact_purchases p ON p.id = l.purchase_id ORDER BY 1`,
      );
      expect(charged.map((c) => c.provider_contact_id)).toEqual(BOUGHT);
    });
  });
});
