/**
 * `signalfit offboard …` and `signalfit retention …` as a user runs them: the real bin in a child
 * process, from a working directory of its own (docs/offboarding.md, docs/retention.md).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, runCli } from './testing';

// Each command is a process opening the store: the embedded one takes seconds.
jest.setTimeout(300_000);

describe.each(processStoreTargets('offboard-cli'))('signalfit offboard on $name', (target) => {
  let store: ProcessStore;
  let env: NodeJS.ProcessEnv;
  let cwd: string;
  const cli = (...args: string[]) => runCli(args, env, 60_000, cwd);
  let schema: string | null = null;

  beforeAll(async () => {
    cwd = mkdtempSync(path.join(tmpdir(), 'signalfit-offboard-cwd-'));
    store = await target.create();
    await store.use(async (db) => {
      await migrate(db);
      await db.exec(`
        INSERT INTO accounts (id, name) VALUES ('a1', 'Acme'), ('a2', 'Globex'), ('a3', 'Initech');
        INSERT INTO api_keys (id, name, role, key_hash, prefix, created_by) VALUES ('k1', 'ci', 'Admin', 'hash-of-a-live-key', 'sf_x', 'x');
      `);
      if (db.kind === 'postgres')
        schema = (await db.query<{ s: string }>('SELECT current_schema() AS s'))[0]!.s;
    });
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    if (schema) await store.use((db) => db.exec(`CREATE SCHEMA IF NOT EXISTS "${schema}"`));
    await store?.dispose();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('sets and shows retention', async () => {
    const set = await cli(
      'retention',
      'set',
      '--activities-days',
      '365',
      '--score-runs',
      '12',
      '--audit-days',
      'keep',
    );
    expect({ code: set.code, stderr: set.stderr }).toEqual({ code: 0, stderr: '' });
    expect(linesOf(set.stdout)).toEqual([
      'activities     older than 365 days deleted',
      'outbound logs  kept',
      'score runs     beyond the latest 12 deleted',
      'audit entries  kept',
    ]);
    expect(JSON.parse((await cli('retention', '--json')).stdout)).toEqual({
      activitiesDays: 365,
      outboundDays: null,
      scoreRuns: 12,
      auditDays: null,
    });
    const refused = await cli('retention', 'set', '--outbound-days', '0');
    expect({ code: refused.code, lines: linesOf(refused.stderr).length }).toEqual({ code: 1, lines: 1 });
  });

  it('exports, refuses to delete without the word (exit 2), deletes with it, and the certificate verifies anywhere', async () => {
    const exported = await cli('offboard', 'export', 'out');
    expect({ code: exported.code, stderr: exported.stderr }).toEqual({ code: 0, stderr: '' });
    const manifest = JSON.parse(readFileSync(path.join(cwd, 'out', 'manifest.json'), 'utf8')) as {
      files: { path: string; rows: number }[];
    };
    expect(manifest.files.find((f) => f.path === 'accounts/accounts.csv')?.rows).toBe(3);
    const sha = /^sha256 +([0-9a-f]{64})$/m.exec(exported.stdout)?.[1];
    expect(sha).toMatch(/^[0-9a-f]{64}$/);

    const refused = await cli('offboard', 'delete');
    expect(refused.code).toBe(2);
    const word = /confirm with: --confirm (delete-[0-9a-f]{8})$/m.exec(refused.stdout)?.[1];
    expect(word).toBeDefined();
    expect(
      await store.use(async (db) => (await db.query('SELECT id FROM accounts ORDER BY id')).length),
    ).toBe(3);
    const wrong = await cli('offboard', 'delete', '--confirm', 'delete-zzzzzzzz');
    expect(wrong.code).toBe(2);
    expect(existsSync(path.join(cwd, 'deletion-certificate.json'))).toBe(false);

    const deleted = await cli('offboard', 'delete', '--confirm', word!);
    expect({ code: deleted.code, stderr: deleted.stderr }).toEqual({ code: 0, stderr: '' });
    expect(deleted.stdout).toMatch(/^accounts: 3 rows deleted, 0 left$/m);
    const certificate = JSON.parse(readFileSync(path.join(cwd, 'deletion-certificate.json'), 'utf8')) as {
      export_sha256: string;
      tables: { name: string; rows_after: number }[];
    };
    expect(certificate.export_sha256).toBe(sha);
    expect(certificate.tables.every((t) => t.rows_after === 0)).toBe(true);
    if (target.name === 'pglite') {
      expect(existsSync(env.SIGNALFIT_DATA_DIR!)).toBe(false);
    } else {
      const left = await store.use((db) =>
        db.query('SELECT table_name FROM information_schema.tables WHERE table_schema = $1', [schema]),
      );
      expect(left).toEqual([]);
    }

    // Verified from an empty folder with no store and no configuration at all.
    const elsewhere = mkdtempSync(path.join(tmpdir(), 'signalfit-verify-'));
    try {
      const file = path.join(elsewhere, 'certificate.json');
      const text = readFileSync(path.join(cwd, 'deletion-certificate.json'), 'utf8');
      writeFileSync(file, text);
      const bare = cliEnv({ SIGNALFIT_DATA_DIR: undefined, DATABASE_URL: undefined });
      const valid = await runCli(['offboard', 'verify-certificate', file], bare, 60_000, elsewhere);
      expect({ code: valid.code, stdout: valid.stdout, stderr: valid.stderr }).toEqual({
        code: 0,
        stdout: 'valid\n',
        stderr: '',
      });
      expect(existsSync(path.join(elsewhere, '.signalfit'))).toBe(false);
      // One byte changed: a 3 becomes a 4.
      writeFileSync(file, text.replace('"rows_before": 3', '"rows_before": 4'));
      const invalid = await runCli(['offboard', 'verify-certificate', file], bare, 60_000, elsewhere);
      expect({ code: invalid.code, stderr: invalid.stderr }).toEqual({
        code: 1,
        stderr:
          'signalfit: certificate not valid: the signature does not match the certificate: it was changed after signing\n',
      });
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });
});
