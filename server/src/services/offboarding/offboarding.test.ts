import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { startOutreachStandIn, connectThroughStandIn } from '../../../test/outreachStandIn/testing';
import type { OutreachStandIn } from '../../../test/outreachStandIn/standIn';
import { OPERATOR } from '../../policies/policies';
import type { Db } from '../../store/db';
import { quoteIdent } from '../../store/postgres';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { OutreachConnections } from '../outreach/connections';
import { runSalesforceWriteback } from '../salesforce/runSalesforceJobs';
import { storeSchema } from './catalogue';
import { certificateProblem } from './certificate';
import { checklistOf } from './checklist';
import { deleteEverything, deletionConfirmWord } from './deleteEverything';
import { disconnectIntegrations } from './disconnectIntegrations';
import { exportEverything, type Manifest } from './exportEverything';
import { getOffboardingState } from './offboardingState';

jest.setTimeout(60_000);

/** Every entry of a zip, whole (the test exports are small). */
function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, Buffer>();
    yauzl.open(file, { lazyEntries: true }, (error, zip) => {
      if (error) return reject(error);
      zip.on('entry', (entry: yauzl.Entry) => {
        zip.openReadStream(entry, (err, stream) => {
          if (err) return reject(err);
          const chunks: Buffer[] = [];
          stream.on('data', (chunk: Buffer) => chunks.push(chunk));
          stream.on('end', () => {
            entries.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');

/** Values that must never leave the store in an export. */
const SECRETS = {
  apiKeyHash: 'a3f1c0ffee5ecre7a91b0b1e5ha5h0fapikey',
  sessionId: 'sess10n5ecret1dha5hva1ue',
  webhook: 'sealed-hooks.slack.example-T000-B000',
  providerToken: 'sealed-provider-bearer-token-value',
  accessKey: 'access-token-signing-key-bytes',
  oidcVerifier: 'pkce-verifier-never-exported',
};

describe.each(testStoreTargets())('offboarding on $name', (target) => {
  let db: Db;
  useTestStore(target, (opened) => (db = opened));
  let standIn: OutreachStandIn;
  let outreachToken: string;
  let dir: string;
  let manifest: Manifest;
  let zipSha256: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'signalfit-offboard-'));
    const started = await startOutreachStandIn();
    standIn = started.standIn;
    const connections = new OutreachConnections({ db, config: started.config, now: () => new Date() });
    outreachToken = await connectThroughStandIn(
      connections,
      standIn,
      { orgId: '00D1', userId: '0051' },
      3_600_000,
    );
    await db.exec(`
      INSERT INTO accounts (id, name, domain) VALUES ('a1', 'Acme, "the" company', 'acme.example'), ('a2', '', NULL);
      INSERT INTO contacts (id, account_id, email) VALUES ('c1', 'a1', 'ada@acme.example');
      INSERT INTO activities (id, occurred_at, account_id, type) VALUES ('x1', '2026-01-01', 'a1', 'web_visit');
      INSERT INTO users (id, email, role) VALUES ('u1', 'admin@acme.example', 'Admin');
      INSERT INTO user_sessions (id, user_id, expires_at) VALUES ('${SECRETS.sessionId}', 'u1', '2030-01-01');
      INSERT INTO api_keys (id, name, role, key_hash, prefix, created_by) VALUES ('k1', 'ci', 'Admin', '${SECRETS.apiKeyHash}', 'sf_ab', 'x');
      INSERT INTO segments (name, kind) VALUES ('Tier 1', 'filter');
      INSERT INTO alert_subscriptions (segment_id, event, webhook_sealed, webhook_hint) SELECT id, 'became_qualified', '${SECRETS.webhook}', 'https://hooks…B000' FROM segments;
      INSERT INTO alert_subscriptions (segment_id, event) SELECT id, 'stage_advanced' FROM segments;
      INSERT INTO contact_providers (name, type, settings) VALUES ('Vendor', 'http', '{"url": "http://127.0.0.1:9", "token": "${SECRETS.providerToken}"}');
      INSERT INTO access_token_keys (id, secret) VALUES ('key1', '${SECRETS.accessKey}'::bytea);
      INSERT INTO oidc_sign_in_requests (state, nonce, code_verifier) VALUES ('st', 'no', '${SECRETS.oidcVerifier}');
      INSERT INTO salesforce_sync_checkpoints (sobject, synced_until) VALUES ('Account', '2026-01-01'), ('Contact', '2026-01-01');
    `);
  });
  afterAll(async () => {
    await standIn?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const tableCount = async (table: string) =>
    Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${quoteIdent(table)}`))[0]!.n);

  it('exports every table: manifest rows equal the table counts, SHA-256s match the files, no secret inside', async () => {
    const report = await exportEverything({
      db,
      dir,
      actor: OPERATOR,
      now: new Date('2026-12-01T10:00:00Z'),
    });
    manifest = report.manifest;
    zipSha256 = report.zipSha256;
    expect(path.basename(report.zip)).toMatch(/^signalfit-export-[0-9a-f-]{36}-20261201T100000Z\.zip$/);
    expect(sha256(readFileSync(report.zip))).toBe(zipSha256);
    const entries = await readZip(report.zip);
    expect(JSON.parse(entries.get('manifest.json')!.toString('utf8'))).toEqual(
      JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8')),
    );
    expect([...entries.keys()].sort()).toEqual(
      [...manifest.files.map((f) => f.path), 'manifest.json'].sort(),
    );
    // Written after the snapshot: the export's own audit entry and the checklist's state.
    const writtenAfter: Record<string, number> = { audit_log: 1, settings: 1 };
    for (const file of manifest.files) {
      expect({ path: file.path, sha256: sha256(entries.get(file.path)!) }).toEqual({
        path: file.path,
        sha256: file.sha256,
      });
      expect({ table: file.table, rows: file.rows }).toEqual({
        table: file.table,
        rows: (await tableCount(file.table)) - (writtenAfter[file.table] ?? 0),
      });
    }
    const byPath = new Map(manifest.files.map((f) => [f.path, f]));
    expect(byPath.get('accounts/accounts.csv')?.rows).toBe(2);
    expect(entries.get('accounts/accounts.csv')!.toString('utf8')).toBe(
      'id,name,domain,industry,employees,annual_revenue,country,naics,technologies,created_at\n' +
        'a1,"Acme, ""the"" company",acme.example,,,,,,{},\n' +
        'a2,"",,,,,,,{},\n',
    );
    expect(byPath.get('people/contacts.csv')?.rows).toBe(1);
    expect(byPath.get('outreach/outreach_connections.csv')?.rows).toBe(1);
    for (const table of ['access_token_keys', 'oidc_sign_in_requests', 'embed_token_uses'])
      expect(manifest.files.some((f) => f.table === table)).toBe(false);
    expect(manifest.excluded).toEqual(
      expect.arrayContaining([
        { table: 'access_token_keys', reason: expect.any(String) },
        { table: 'outreach_connections', column: 'access_token', reason: expect.any(String) },
        { table: 'outreach_connections', column: 'refresh_token', reason: expect.any(String) },
        { table: 'api_keys', column: 'key_hash', reason: expect.any(String) },
        { table: 'user_sessions', column: 'id', reason: expect.any(String) },
        { table: 'contact_providers', column: 'settings.token', reason: expect.any(String) },
      ]),
    );
    const everything = [...entries.values()].map((b) => b.toString('utf8')).join('\n');
    for (const secret of Object.values(SECRETS)) expect(everything).not.toContain(secret);
    expect(everything).toContain('http://127.0.0.1:9'); // the provider's URL is kept, its token is not
    expect(everything).not.toContain(outreachToken);

    const state = await getOffboardingState(db);
    expect(state.export).toEqual({
      at: '2026-12-01T10:00:00.000Z',
      by: 'command line',
      sha256: zipSha256,
      file: path.basename(report.zip),
    });
    expect(checklistOf(state)[0]).toMatchObject({
      id: 'export',
      done: true,
      command: 'signalfit offboard export <dir>',
    });
  });

  it('disconnects every integration without a call to Outreach, stops Salesforce, and a rerun finds nothing', async () => {
    const requestsBefore = standIn.requests.length;
    const first = await disconnectIntegrations({ db, actor: OPERATOR });
    expect(first.counts).toEqual({
      outreachTokens: 1,
      outreachPendingConnects: 0,
      salesforceCheckpoints: 2,
      alertWebhooks: 1,
      providerTokens: 1,
    });
    expect(standIn.requests.length).toBe(requestsBefore);
    expect(await tableCount('outreach_connections')).toBe(0);
    expect(await tableCount('alert_subscriptions')).toBe(1); // the in-app one stays
    expect((await db.query(`SELECT settings FROM contact_providers`))[0]).toEqual({
      settings: { url: 'http://127.0.0.1:9' },
    });
    await expect(
      runSalesforceWriteback({
        db,
        connect: () => Promise.reject(new Error('no call')),
        mapping: {} as never,
        budgetPercent: 20,
        trigger: 'manual',
      }),
    ).rejects.toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/stopped by `signalfit offboard disconnect`/),
    });
    const again = await disconnectIntegrations({ db, actor: OPERATOR });
    expect(Object.values(again.counts)).toEqual([0, 0, 0, 0, 0]);
    expect(
      await db.query(
        `SELECT action, counts FROM audit_log WHERE action = 'offboarding.disconnect' ORDER BY id`,
      ),
    ).toEqual([
      { action: 'offboarding.disconnect', counts: first.counts },
      { action: 'offboarding.disconnect', counts: again.counts },
    ]);
  });

  it('deletes nothing with a wrong word, then every row and table, with a certificate that verifies', async () => {
    const word = await deletionConfirmWord(db);
    expect(word).toMatch(/^delete-[0-9a-f]{8}$/);
    await expect(
      deleteEverything({ db, actor: OPERATOR, deletedBy: 'test', confirm: 'delete-00000000' }),
    ).rejects.toMatchObject({ code: 'bad_request' });
    expect(await tableCount('accounts')).toBe(2);

    const schema = await storeSchema(db);
    const before = new Map(manifest.files.map((f) => [f.table, f.rows]));
    const certificate = await deleteEverything({
      db,
      actor: OPERATOR,
      deletedBy: 'ops@acme.example',
      confirm: word,
      now: () => new Date('2026-12-31T23:00:00Z'),
    });
    expect(certificate).toMatchObject({
      deleted_at: '2026-12-31T23:00:00.000Z',
      deleted_by: 'ops@acme.example',
      export_sha256: zipSha256,
    });
    const tables = new Map(certificate.tables.map((t) => [t.name, t]));
    expect(tables.get('accounts')).toEqual({ name: 'accounts', rows_before: 2, rows_after: 0 });
    expect(tables.get('access_token_keys')).toEqual({
      name: 'access_token_keys',
      rows_before: 1,
      rows_after: 0,
    });
    expect(tables.get('schema_migrations')?.rows_after).toBe(0);
    for (const [table, rows] of before)
      if (
        ![
          'audit_log',
          'settings',
          'outreach_connections',
          'alert_subscriptions',
          'salesforce_sync_checkpoints',
          'contact_providers',
        ].includes(table)
      )
        expect({ table, rows: tables.get(table)?.rows_before }).toEqual({ table, rows });
    expect(certificate.tables.every((t) => t.rows_after === 0)).toBe(true);

    // No Signalfit table, function or sequence is left in the store's schema.
    const left = await db.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1
       UNION ALL SELECT routine_name FROM information_schema.routines WHERE routine_schema = $1
       UNION ALL SELECT sequence_name FROM information_schema.sequences WHERE sequence_schema = $1`,
      [schema],
    );
    expect(left).toEqual([]);
    if (db.kind === 'postgres') {
      expect(
        await db.query('SELECT 1 FROM information_schema.schemata WHERE schema_name = $1', [schema]),
      ).toEqual([]);
      await db.exec(`CREATE SCHEMA ${quoteIdent(schema)}`); // for the test store's own clean-up
    }

    expect(certificateProblem(certificate)).toBeNull();
    expect(certificateProblem(JSON.parse(JSON.stringify(certificate)))).toBeNull();
    const changed = {
      ...certificate,
      tables: certificate.tables.map((t, i) => (i === 0 ? { ...t, rows_before: t.rows_before + 1 } : t)),
    };
    expect(certificateProblem(changed)).toBe(
      'the signature does not match the certificate: it was changed after signing',
    );
    const text = JSON.stringify(certificate);
    const oneByte = text.replace('ops@acme.example', 'ops@acme.exampl3');
    expect(certificateProblem(JSON.parse(oneByte))).toMatch(/signature does not match/);
    expect(certificateProblem({ ...certificate, signature: undefined })).toBe(
      'signature is missing or not a string',
    );
  });
});
