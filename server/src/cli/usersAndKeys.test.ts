/**
 * `signalfit users …` and `signalfit apikeys …` as a user runs them: the real bin in a child
 * process, from another working directory (docs/command-line.md "Users and API keys").
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { apiKeyHash } from '../services/apikeys/apiKeys';
import { verifyApiKey } from '../services/apikeys/verifyApiKey';
import { migrate } from '../store/migrate';
import { processStoreTargets, type ProcessStore } from '../store/testing';
import { cliEnv, linesOf, runCli } from './testing';

// Each command is a process opening the store: the embedded one takes seconds.
jest.setTimeout(300_000);

describe.each(processStoreTargets('users-cli'))('signalfit users and apikeys on $name', (target) => {
  let store: ProcessStore;
  let env: NodeJS.ProcessEnv;
  let elsewhere: string;
  const cli = (...args: string[]) => runCli(args, env, 60_000, elsewhere);

  beforeAll(async () => {
    store = await target.create();
    await store.use((db) => migrate(db));
    elsewhere = mkdtempSync(path.join(tmpdir(), 'signalfit-users-cwd-'));
    env = cliEnv(store.env);
  });
  afterAll(async () => {
    await store?.dispose();
    rmSync(elsewhere, { recursive: true, force: true });
  });

  it('adds, lists, changes the role of, deactivates and reactivates users', async () => {
    const added = await cli(
      'users',
      'add',
      '--email',
      'Ana@Example.com',
      '--role',
      'view-only',
      '--name',
      'Ana',
    );
    expect({ code: added.code, stderr: added.stderr }).toEqual({ code: 0, stderr: '' });
    expect(added.stdout).toMatch(/^added ana@example\.com as View Only \(usr_[0-9a-f]{32}\)\n$/);
    expect((await cli('users', 'add', '--email', 'bo@example.com', '--role', 'ADMIN')).code).toBe(0);

    const setRole = await cli('users', 'set-role', 'ana@example.com', 'operations');
    expect([setRole.code, setRole.stdout]).toEqual([0, 'ana@example.com is now Operations\n']);
    const off = await cli('users', 'deactivate', 'bo@example.com');
    expect(off.code).toBe(0);

    const table = linesOf((await cli('users', 'list')).stdout);
    expect(table.map((line) => line.split(/\s{2,}/))).toEqual([
      ['email', 'name', 'role', 'active', 'last sign-in'],
      ['ana@example.com', 'Ana', 'Operations', 'yes', 'never'],
      ['bo@example.com', 'Admin', expect.stringMatching(/^no \(since \d{4}-\d\d-\d\d\)$/), 'never'],
    ]);
    expect((await cli('users', 'reactivate', 'bo@example.com')).stdout).toBe(
      'reactivated bo@example.com (Admin)\n',
    );
    const json = JSON.parse((await cli('users', 'list', '--json')).stdout) as {
      users: { email: string; role: string; active: boolean }[];
    };
    expect(json.users.map((u) => [u.email, u.role, u.active])).toEqual([
      ['ana@example.com', 'Operations', true],
      ['bo@example.com', 'Admin', true],
    ]);
  });

  it('refuses bad input in one line saying what to do, with exit code 1', async () => {
    const cases: [string[], RegExp][] = [
      [
        ['users', 'add', '--email', 'ana@example.com', '--role', 'Sales'],
        /already exists: see `signalfit users list`/,
      ],
      [
        ['users', 'add', '--email', 'not-an-email', '--role', 'Sales'],
        /"not-an-email" is not an email address/,
      ],
      [
        ['users', 'add', '--email', 'c@example.com', '--role', 'Boss'],
        /"Boss" is not a role: use one of Admin, /,
      ],
      [
        ['users', 'set-role', 'nobody@example.com', 'Sales'],
        /no user nobody@example\.com: see `signalfit users list`/,
      ],
      [['apikeys', 'revoke', 'no-such-key'], /no live API key with the id or name "no-such-key"/],
    ];
    for (const [args, reason] of cases) {
      const refused = await cli(...args);
      expect({ args, code: refused.code, stdout: refused.stdout }).toEqual({ args, code: 1, stdout: '' });
      expect(linesOf(refused.stderr)).toHaveLength(1);
      expect(refused.stderr).toMatch(/^signalfit: /);
      expect(refused.stderr).toMatch(reason);
    }
  });

  it('prints a key once, stores only its hash, lists and revokes it', async () => {
    const created = await cli(
      'apikeys',
      'create',
      '--name',
      'warehouse',
      '--role',
      'Insights',
      '--user',
      'ana@example.com',
    );
    expect({ code: created.code, stderr: created.stderr }).toEqual({ code: 0, stderr: '' });
    const [key, note, ...rest] = linesOf(created.stdout);
    expect(key).toMatch(/^sfk_[A-Za-z0-9_-]{43}$/);
    expect(note).toMatch(
      /^created API key "warehouse" \(Insights, owned by ana@example\.com, id key_[0-9a-f]{32}\)\. This key is not shown again/,
    );
    expect(rest).toEqual([]);

    const listed = await cli('apikeys', 'list', '--json');
    expect(listed.stdout).not.toContain(key!);
    const { apiKeys } = JSON.parse(listed.stdout) as {
      apiKeys: { name: string; prefix: string; revokedAt: string | null }[];
    };
    expect(apiKeys.map((k) => [k.name, k.prefix, k.revokedAt])).toEqual([
      ['warehouse', key!.slice(0, 12), null],
    ]);
    const table = linesOf((await cli('apikeys', 'list')).stdout);
    expect(table[1]!.split(/\s{2,}/).slice(0, 6)).toEqual([
      'warehouse',
      'Insights',
      'ana@example.com',
      key!.slice(0, 12),
      expect.stringMatching(/^\d{4}-\d\d-\d\d$/),
      'never',
    ]);

    await store.use(async (db) => {
      const rows = await db.query('SELECT * FROM api_keys');
      expect(rows.map((row) => row.key_hash)).toEqual([apiKeyHash(key!)]);
      expect(JSON.stringify(rows)).not.toContain(key!.slice(12));
      await expect(verifyApiKey(db, key!, new Date())).resolves.toMatchObject({ role: 'Insights' });
    });

    const revoked = await cli('apikeys', 'revoke', 'Warehouse');
    expect([revoked.code, revoked.stdout]).toEqual([
      0,
      `revoked API key "warehouse" (${key!.slice(0, 12)}…): refused from now on\n`,
    ]);
    await store.use(async (db) => {
      await expect(verifyApiKey(db, key!, new Date())).rejects.toMatchObject({ code: 'unauthorized' });
    });
  });
});
