import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ProviderStandIn } from '../../../test/providerStandIn/standIn';
import { PROVIDER_FILE } from '../../integrations/providers/csvProvider';
import type { Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { testStoreTargets, useTestStore } from '../../store/testing';
import { addProvider, findProvider, listProviders, openProvider } from './providers';

const OPS: Actor = { userId: 'u-olga', name: 'Olga', email: 'olga@example.com', role: 'Operations' };
const MARKETING: Actor = { userId: 'u-mo', name: 'Mo', email: null, role: 'Marketing' };
const SECRET = 'a-test-secret-key-of-at-least-32-characters';
const HEADER =
  'provider_id,email,first_name,last_name,title,job_level,job_function,company_domain,country,email_confidence,cost';

describe.each(testStoreTargets())('contact-data providers on $name', (target) => {
  let db: Db;
  let root: string;
  let dir: string;
  let standIn: ProviderStandIn;
  useTestStore(target, (opened) => (db = opened));
  beforeAll(async () => {
    root = mkdtempSync(path.join(tmpdir(), 'signalfit-providers-'));
    dir = path.join(root, 'vendor');
    mkdirSync(dir);
    writeFileSync(
      path.join(dir, PROVIDER_FILE),
      [HEADER, 'p1,a@acme.com,A,B,CTO,C-Level,IT,acme.com,US,A,', 'p2,bad-email,,,,,,acme.com,,,'].join('\n'),
    );
    standIn = await new ProviderStandIn({ token: 'tok' }).start();
  });
  afterAll(async () => {
    await standIn.close();
    rmSync(root, { recursive: true, force: true });
  });
  afterEach(async () => {
    await db.exec('DELETE FROM contact_providers');
  });

  it('adds a csv provider after reading its file, reports its bad rows, lists and finds it by id or name', async () => {
    const { provider, report } = await addProvider({
      db,
      name: 'Vendor Export',
      type: 'csv',
      dir,
      actor: OPS,
    });
    expect(provider).toEqual({
      id: expect.any(Number),
      name: 'Vendor Export',
      type: 'csv',
      settings: { dir },
      createdAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      createdBy: 'olga@example.com',
    });
    expect(report).toEqual({
      rows: 2,
      bad: [
        {
          line: 3,
          reason:
            'email "bad-email" is not an email address: write it as name@example.com, or leave it empty',
        },
      ],
    });
    expect(await listProviders(db)).toEqual([provider]);
    expect(await findProvider(db, 'vendor export')).toEqual(provider);
    expect(await findProvider(db, String(provider.id))).toEqual(provider);
    const opened = await openProvider(db, provider.id);
    expect((await opened.search(['acme.com'])).map((c) => c.providerId)).toEqual(['p1']);
  });

  it('refuses a taken name whatever its case, a missing folder, and a role that may not manage; stores nothing then', async () => {
    await addProvider({ db, name: 'Vendor', type: 'csv', dir, actor: OPS });
    await expect(addProvider({ db, name: ' VENDOR ', type: 'csv', dir, actor: OPS })).rejects.toMatchObject({
      code: 'conflict',
      message:
        'a provider named "VENDOR" already exists (names are unique whatever their case): choose another name',
    });
    const missing = path.join(root, 'missing');
    await expect(
      addProvider({ db, name: 'Other', type: 'csv', dir: missing, actor: OPS }),
    ).rejects.toMatchObject({
      code: 'invalid_provider',
      message: expect.stringContaining(`the folder ${missing} does not exist`),
    });
    await expect(addProvider({ db, name: 'Mine', type: 'csv', dir, actor: MARKETING })).rejects.toMatchObject(
      {
        code: 'forbidden',
      },
    );
    expect((await listProviders(db)).map((p) => p.name)).toEqual(['Vendor']);
    await expect(findProvider(db, 'nope')).rejects.toMatchObject({
      code: 'not_found',
      message: 'no contact-data provider named "nope" (signalfit providers list shows them)',
    });
  });

  it('adds an http provider with its token sealed, opens it with the key, and refuses a token without a key', async () => {
    const { provider, report } = await addProvider({
      db,
      name: 'Vendor API',
      type: 'http',
      url: `${standIn.url}/`,
      token: 'tok',
      secretKey: SECRET,
      actor: OPS,
    });
    expect(provider.settings).toEqual({ url: standIn.url });
    expect(report).toEqual({ rows: 0, bad: [] });
    const [stored] = await db.query<{ settings: unknown }>('SELECT settings FROM contact_providers');
    expect(JSON.stringify(stored!.settings)).not.toContain('"tok"');

    standIn.seed({ provider_id: 'h1', email: 'h@acme.com', company_domain: 'acme.com' });
    const opened = await openProvider(db, 'vendor api', { secretKey: SECRET });
    expect((await opened.search(['acme.com'])).map((c) => c.providerId)).toEqual(['h1']);
    await expect(openProvider(db, 'vendor api', { secretKey: null })).rejects.toMatchObject({
      code: 'config_invalid',
    });
    await expect(
      openProvider(db, 'vendor api', { secretKey: 'another-secret-key-of-at-least-32-chars' }),
    ).rejects.toMatchObject({ code: 'config_invalid', message: expect.stringContaining('does not open') });

    await expect(
      addProvider({ db, name: 'X', type: 'http', url: standIn.url, token: 't', secretKey: null, actor: OPS }),
    ).rejects.toMatchObject({
      code: 'config_invalid',
      message: expect.stringContaining('SIGNALFIT_SECRET_KEY'),
    });
    await expect(
      addProvider({ db, name: 'Y', type: 'http', url: 'ftp://x', token: null, secretKey: null, actor: OPS }),
    ).rejects.toMatchObject({
      code: 'invalid_provider',
      message: expect.stringMatching(/^url "ftp:\/\/x": /),
    });
  });
});
