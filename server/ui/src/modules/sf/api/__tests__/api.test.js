import {
  ApiError,
  exchangeToken,
  fetchAccountIntelligence,
  fetchPerson,
  requestBlob,
  requestJson,
} from 'sf/api';
import { answer, stubFetch } from '../../../../../test/lwcTesting';

const INTELLIGENCE = require('../../../../../test/data/accountIntelligence.json');
const PERSON = require('../../../../../test/data/person.json');
const ACME_ID = '001Ax00000AcMe1IAF';

afterEach(() => {
  delete global.fetch;
});

describe('sf/api', () => {
  it('sends the access token as a bearer header, never a cookie, and reads the JSON answer', async () => {
    const fetch = stubFetch({ [`/api/accounts/${ACME_ID}/intelligence`]: INTELLIGENCE });
    await expect(fetchAccountIntelligence(ACME_ID, 'access-token-1')).resolves.toEqual(INTELLIGENCE);
    expect(fetch).toHaveBeenCalledWith(`/api/accounts/${ACME_ID}/intelligence`, {
      method: 'GET',
      headers: { Accept: 'application/json', Authorization: 'Bearer access-token-1' },
      body: undefined,
      credentials: 'omit',
      cache: 'no-store',
    });
  });

  it('encodes record ids into the path', async () => {
    const fetch = stubFetch({ '/api/people/a%2Fb': PERSON });
    await fetchPerson('a/b', 't');
    expect(fetch.mock.calls[0][0]).toBe('/api/people/a%2Fb');
  });

  it('posts a JSON body without a token when exchanging the embed token', async () => {
    const exchanged = { accessToken: 'access-token-1', expiresAt: '2026-11-20T12:15:00.000Z' };
    const fetch = stubFetch({ '/api/embed/exchange': exchanged });
    await expect(exchangeToken('embed-jwt')).resolves.toEqual(exchanged);
    const [, init] = fetch.mock.calls[0];
    expect(init.method).toBe('POST');
    expect(init.headers).toEqual({ Accept: 'application/json', 'Content-Type': 'application/json' });
    expect(JSON.parse(init.body)).toEqual({ token: 'embed-jwt' });
  });

  it("turns a refusal into an ApiError with the service's code and message", async () => {
    stubFetch({
      '/api/people/x': () =>
        answer(403, { error: { code: 'forbidden', message: 'this token is for another record' } }),
    });
    const error = await fetchPerson('x', 't').catch((e) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({
      status: 403,
      code: 'forbidden',
      message: 'this token is for another record',
    });
  });

  it('names the HTTP status when the answer has no error body', async () => {
    stubFetch({ '/api/session': () => answer(503) });
    await expect(requestJson('/api/session')).rejects.toMatchObject({
      status: 503,
      code: 'http_503',
      message: 'The Signalfit service answered 503.',
    });
  });

  it('says the service could not be reached when fetch itself fails', async () => {
    global.fetch = jest.fn().mockRejectedValue(new TypeError('Failed to fetch'));
    await expect(requestJson('/api/session')).rejects.toMatchObject({
      status: 0,
      code: 'network_error',
      message: 'The Signalfit service could not be reached. Check your connection.',
    });
  });

  it('reads a download as a Blob', async () => {
    const csv = 'id,name\r\nacct-009,Vandelay Imports\r\n';
    stubFetch({ '/api/accounts/export.csv': () => answer(200, csv) });
    const blob = await requestBlob('/api/accounts/export.csv', { accessToken: 't' });
    expect(blob).toBeInstanceOf(Blob);
    expect(blob.size).toBe(csv.length);
  });
});
