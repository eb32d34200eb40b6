import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt } from 'jose';
import type { SalesforceStandIn } from '../../../test/salesforceStandIn/standIn';
import { startStandIn } from '../../../test/salesforceStandIn/testing';
import { API_VERSION, connectSalesforce, type SalesforceSettings } from './client';

jest.setTimeout(30_000);

describe('connectSalesforce (jsforce against the Salesforce stand-in)', () => {
  let standIn: SalesforceStandIn;
  let settings: SalesforceSettings;
  beforeAll(async () => {
    ({ standIn, settings } = await startStandIn({ dailyApiLimit: 15_000, apiUsedAtStart: 1_200 }));
  });
  afterAll(() => standIn.close());

  const tokenRequests = () => standIn.requests.filter((r) => r.path === '/services/oauth2/token');

  test('logs in with a JWT bearer assertion signed RS256 for the client id, user and login URL', async () => {
    const before = tokenRequests().length;
    const { conn } = await connectSalesforce(settings);
    expect(conn.instanceUrl).toBe(standIn.url);
    expect(conn.version).toBe(API_VERSION);
    const [request] = tokenRequests().slice(before);
    const params = new URLSearchParams(request!.body);
    expect(params.get('grant_type')).toBe('urn:ietf:params:oauth:grant-type:jwt-bearer');
    const claims = decodeJwt(params.get('assertion')!);
    expect(claims).toMatchObject({ iss: settings.clientId, sub: settings.username, aud: standIn.url });
    expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(180);
  });

  test('signs a new assertion when the session expires, and the call goes through', async () => {
    const client = await connectSalesforce(settings);
    const before = tokenRequests().length;
    standIn.expireSessions();
    const result = await client.conn.query('SELECT Id FROM Account');
    expect(result.done).toBe(true);
    expect(tokenRequests().length - before).toBe(1);
  });

  test('reads Sforce-Limit-Info from every response and counts its calls', async () => {
    const client = await connectSalesforce(settings);
    await client.conn.query('SELECT Id FROM Account');
    await client.conn.query('SELECT Id FROM Contact');
    expect(client.usage.calls).toBe(2);
    expect(client.usage.orgLimit).toBe(15_000);
    expect(client.usage.orgUsed).toBe(standIn.apiUsed);
  });

  test('a guard that throws stops the call before it is sent', async () => {
    const client = await connectSalesforce(settings, (usage) => {
      if (usage.calls >= 1) throw new Error('no more calls');
    });
    await client.conn.query('SELECT Id FROM Account');
    const sent = standIn.apiRequests().length;
    await expect(client.conn.query('SELECT Id FROM Account')).rejects.toThrow('no more calls');
    expect(standIn.apiRequests().length).toBe(sent);
  });

  test('pages a REST query by nextRecordsUrl (batches of 2,000)', async () => {
    for (let i = 0; i < 2_500; i++) standIn.insert('Campaign', { Name: `Campaign ${i}`, Type: 'Email' });
    const client = await connectSalesforce(settings);
    const result = await client.conn
      .query('SELECT Id, Name FROM Campaign')
      .run({ autoFetch: true, maxFetch: 10_000 });
    expect(result.records).toHaveLength(2_500);
    const more = standIn.apiRequests().filter((r) => /\/query\/01g\w+-2000$/.test(r.path));
    expect(more).toHaveLength(1);
  });

  test('a refused login says why, in one message', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    await expect(connectSalesforce({ ...settings, privateKeyPem: other })).rejects.toThrow(
      /Salesforce login \(JWT bearer\) at .* failed: invalid_grant: invalid assertion/,
    );
    await expect(connectSalesforce({ ...settings, loginUrl: `${standIn.url}/other` })).rejects.toThrow(
      /failed/,
    );
    await expect(connectSalesforce({ ...settings, privateKeyPem: 'not a key' })).rejects.toThrow(
      'the Salesforce private key is not a PEM private key',
    );
  });

  test('errors come back with their errorCode, as Salesforce sends them', async () => {
    const client = await connectSalesforce(settings);
    await expect(client.conn.query('SELECT Nope__c FROM Account')).rejects.toMatchObject({
      errorCode: 'INVALID_FIELD',
      message: "No such column 'Nope__c' on entity 'Account'.",
    });
    standIn.fail({
      path: /\/query$/,
      status: 403,
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
      message: 'TotalRequests Limit exceeded.',
    });
    await expect(client.conn.query('SELECT Id FROM Account')).rejects.toMatchObject({
      errorCode: 'REQUEST_LIMIT_EXCEEDED',
    });
  });
});
