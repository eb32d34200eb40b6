import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_EMBED_SECRET, TEST_ORG_ID } from '../http/auth/testing';
import { openPglite } from '../store/pglite';
import { cliEnv, linesOf, runCli } from './testing';

/**
 * The access-trust settings tried from outside, as an operator would: `signalfit keys rotate`, and
 * `signalfit serve` refusing to start without the org pin or with the wrong SIGNALFIT_SECRET_KEY.
 */
jest.setTimeout(120_000);

const SECRET_KEY = 'a-test-secret-key-of-at-least-32-characters';

describe('signalfit keys rotate and the start-up checks of the access trust', () => {
  let dataDir: string;
  beforeAll(() => (dataDir = mkdtempSync(path.join(tmpdir(), 'signalfit-keys-'))));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
  const env = (more: Record<string, string> = {}) =>
    cliEnv({ SIGNALFIT_DATA_DIR: dataDir, SIGNALFIT_SECRET_KEY: SECRET_KEY, PORT: '0', ...more });

  it('rotates the key twice; the store keeps the keys sealed, one current', async () => {
    const first = await runCli(['keys', 'rotate'], env());
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(
      /^New access-token signing key \S+, stored encrypted with SIGNALFIT_SECRET_KEY;/,
    );
    const second = await runCli(['keys', 'rotate'], env());
    expect(second.code).toBe(0);
    const db = await openPglite(dataDir);
    try {
      const rows = await db.query<{ id: string; encrypted: boolean; retired: boolean }>(
        'SELECT id, encrypted, retired_at IS NOT NULL AS retired FROM access_token_keys ORDER BY retired DESC',
      );
      expect(rows.map((row) => [row.encrypted, row.retired])).toEqual([
        [true, true],
        [true, false],
      ]);
      expect(second.stdout).toContain(rows[1]!.id);
    } finally {
      await db.close();
    }
  });

  it('serve refuses to start with a SIGNALFIT_SECRET_KEY that does not open the stored keys', async () => {
    const result = await runCli(
      ['serve'],
      env({ SIGNALFIT_SECRET_KEY: 'another-secret-key-of-at-least-32-characters' }),
    );
    expect(result.code).toBe(1);
    expect(linesOf(result.stderr).at(-1)).toMatch(
      /^signalfit: SIGNALFIT_SECRET_KEY does not decrypt the access-token signing key/,
    );
  });

  it('serve refuses to start with an embed secret but no SIGNALFIT_SALESFORCE_ORG_ID, naming it', async () => {
    const result = await runCli(['serve'], env({ SIGNALFIT_EMBED_SECRET: TEST_EMBED_SECRET }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('SIGNALFIT_SALESFORCE_ORG_ID: is required with');
    const pinned = await runCli(
      ['keys', 'rotate'],
      env({ SIGNALFIT_EMBED_SECRET: TEST_EMBED_SECRET, SIGNALFIT_SALESFORCE_ORG_ID: TEST_ORG_ID }),
    );
    expect(pinned.code).toBe(0);
  });
});
