import {
  createAlert,
  deleteSegment,
  fetchSegmentAccounts,
  fetchSegmentCsv,
  fetchSession,
  setPublished,
  updateSegment,
  uploadSegmentList,
} from 'sf/segmentsApi';
import { answer, stubFetch } from '../../../../../test/lwcTesting';

afterEach(() => {
  delete global.fetch;
});

describe('sf/segmentsApi', () => {
  it("asks the session what the bearer's user may do", async () => {
    const fetch = stubFetch({
      '/api/session': { demo: true, signInMethods: [], can: { 'segments.edit': true } },
    });
    await expect(fetchSession('t')).resolves.toMatchObject({ can: { 'segments.edit': true } });
    expect(fetch.mock.calls[0][1].headers.Authorization).toBe('Bearer t');
  });

  it('encodes a segment named instead of numbered into the path', async () => {
    const fetch = stubFetch({ '/api/segments/EMEA%20%2F%20software': { segment: {} } });
    await updateSegment('EMEA / software', { tags: ['emea'] }, 't');
    expect(fetch.mock.calls[0][1].method).toBe('PATCH');
    expect(JSON.parse(fetch.mock.calls[0][1].body)).toEqual({ tags: ['emea'] });
  });

  it("reads the segment's members and export with the list's query", async () => {
    const fetch = stubFetch({ '/api/segments/3/accounts': {}, '/api/segments/3/export.csv': 'id\r\n' });
    await fetchSegmentAccounts(3, 'sort=name&dir=asc&limit=50', 't');
    await fetchSegmentCsv(3, 'fit=Strong', 't');
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/api/segments/3/accounts?sort=name&dir=asc&limit=50',
      '/api/segments/3/export.csv?fit=Strong',
    ]);
    expect(fetch.mock.calls[1][1].headers.Accept).toBe('text/csv');
  });

  it('sends an uploaded list as text/csv, the name and mode in the query', async () => {
    const fetch = stubFetch({ '/api/segments/upload': {} });
    await uploadSegmentList(
      { name: 'Q1 & Q2 list', folder: '', append: false, csv: 'domain\nacme.example\n' },
      't',
    );
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/api/segments/upload?name=Q1+%26+Q2+list');
    expect(init.headers['Content-Type']).toBe('text/csv');
    expect(init.body).toBe('domain\nacme.example\n');
  });

  it('publishes and unpublishes with a POST, and deletes without reading a body', async () => {
    const fetch = stubFetch({
      '/api/segments/3/publish': { segment: { published: true } },
      '/api/segments/3/unpublish': { segment: { published: false } },
      '/api/segments/3': () => answer(204),
      '/api/alerts': () => answer(201, { subscription: { id: 1 } }),
    });
    await expect(setPublished(3, true, 't')).resolves.toEqual({ segment: { published: true } });
    await setPublished(3, false, 't');
    await expect(deleteSegment(3, 't')).resolves.toBeUndefined();
    await createAlert({ segment: 3, event: 'entered_segment', digest: 'immediate' }, 't');
    expect(fetch.mock.calls.map(([url, init]) => `${init.method} ${url}`)).toEqual([
      'POST /api/segments/3/publish',
      'POST /api/segments/3/unpublish',
      'DELETE /api/segments/3',
      'POST /api/alerts',
    ]);
  });

  it("keeps an error's details (the invalid condition's path)", async () => {
    stubFetch({
      '/api/segments/3': () =>
        answer(400, {
          error: {
            code: 'invalid_segment',
            message: 'all[0]: unknown field "fit"',
            details: { path: 'all[0]' },
          },
        }),
    });
    await expect(updateSegment(3, { definition: { all: [{ field: 'fit' }] } }, 't')).rejects.toMatchObject({
      code: 'invalid_segment',
      details: { path: 'all[0]' },
    });
  });
});
