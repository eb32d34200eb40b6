import {
  fetchAccounts,
  fetchAccountsCsv,
  fetchIndustries,
  parseRoute,
  sessionToken,
  signOut,
  startRecompute,
} from 'sf/accountsApi';
import { stubFetch } from '../../../../../test/lwcTesting';

const ACCOUNTS = require('../../../../../test/data/accountsByIntent.json');
const INDUSTRIES = require('../../../../../test/data/industries.json');
const STATUS = require('../../../../../test/data/scoringStatus.json');

afterEach(() => {
  delete global.fetch;
});

describe('sf/accountsApi', () => {
  it("asks for the list with the view's query and the bearer token", async () => {
    const fetch = stubFetch({ '/api/accounts': ACCOUNTS });
    await expect(fetchAccounts('sort=intent&dir=desc&limit=50', 't')).resolves.toEqual(ACCOUNTS);
    expect(fetch.mock.calls[0][0]).toBe('/api/accounts?sort=intent&dir=desc&limit=50');
    expect(fetch.mock.calls[0][1].headers.Authorization).toBe('Bearer t');
  });

  it('asks for the list without a question mark when the query is empty', async () => {
    const fetch = stubFetch({ '/api/accounts': ACCOUNTS, '/api/accounts/industries': INDUSTRIES });
    await fetchAccounts('', 't');
    await expect(fetchIndustries('t')).resolves.toEqual({
      industries: ['Healthcare', 'Manufacturing', 'Software'],
    });
    expect(fetch.mock.calls.map(([url]) => url)).toEqual(['/api/accounts', '/api/accounts/industries']);
  });

  it('downloads the CSV of the view, asking for text/csv', async () => {
    const fetch = stubFetch({ '/api/accounts/export.csv': 'id,name\r\n' });
    await fetchAccountsCsv('fit=Strong', 't');
    expect(fetch.mock.calls[0][0]).toBe('/api/accounts/export.csv?fit=Strong');
    expect(fetch.mock.calls[0][1].headers.Accept).toBe('text/csv');
  });

  it('sends the sign-in cookie only to the session calls, as JSON (the CSRF guard asks for it)', async () => {
    const session = {
      accessToken: 'a',
      expiresIn: 900,
      user: { email: 'e@x.com', name: 'E', role: 'Sales' },
    };
    const fetch = stubFetch({
      '/api/session/token': session,
      '/api/session/signout': () => ({ ok: true, status: 204, json: async () => null }),
      '/api/accounts': ACCOUNTS,
    });
    await expect(sessionToken()).resolves.toEqual(session);
    await signOut();
    await fetchAccounts('', 'a');
    const [token, out, accounts] = fetch.mock.calls.map(([, init]) => init);
    for (const init of [token, out]) {
      expect(init.method).toBe('POST');
      expect(init.credentials).toBe('same-origin');
      expect(init.headers['Content-Type']).toBe('application/json');
      expect(init.headers.Authorization).toBeUndefined();
    }
    expect(accounts.credentials).toBe('omit');
  });

  it('starts a recompute with a POST', async () => {
    const fetch = stubFetch({ '/api/scoring/recompute': STATUS });
    await startRecompute('t');
    expect(fetch.mock.calls[0][1].method).toBe('POST');
  });
});

describe('parseRoute', () => {
  it("reads the Admin section's entrance and its pages, each at its own address", () => {
    expect(
      ['/admin', '/users', '/optouts/', '/retention', '/offboarding'].map((path) => parseRoute(path, '')),
    ).toEqual([
      { name: 'admin' },
      { name: 'users' },
      { name: 'optouts' },
      { name: 'retention' },
      { name: 'offboarding' },
    ]);
    expect(parseRoute('/audit', '?action=segment')).toEqual({ name: 'audit', query: 'action=segment' });
    expect(parseRoute('/admin/users', '')).toEqual({ name: 'accounts', query: '' });
  });

  it('reads an account, a person, or the list with its query', () => {
    expect(parseRoute('/accounts/001Ax00000AcMe1IAF', '')).toEqual({
      name: 'account',
      id: '001Ax00000AcMe1IAF',
    });
    expect(parseRoute('/accounts/acct%2F9/', '')).toEqual({ name: 'account', id: 'acct/9' });
    expect(parseRoute('/optouts', '')).toEqual({ name: 'optouts' });
    expect(parseRoute('/people/003Ax00000DaNa1IAF', '')).toEqual({
      name: 'person',
      id: '003Ax00000DaNa1IAF',
    });
    expect(parseRoute('/accounts', '?fit=Strong&sort=name')).toEqual({
      name: 'accounts',
      query: 'fit=Strong&sort=name',
    });
  });

  it('reads the Segments routes', () => {
    expect(parseRoute('/segments', '?')).toEqual({ name: 'segments', query: '' });
    expect(parseRoute('/segments/new', '')).toEqual({ name: 'segment-new' });
    expect(parseRoute('/segments/upload', '?name=Webinar%20attendees')).toEqual({
      name: 'segment-upload',
      listName: 'Webinar attendees',
    });
    expect(parseRoute('/segments/12', '?sort=name&dir=asc')).toEqual({
      name: 'segment',
      id: '12',
      query: 'sort=name&dir=asc',
    });
    expect(parseRoute('/segments/EMEA%20software/edit', '')).toEqual({
      name: 'segment-edit',
      id: 'EMEA software',
    });
  });

  it('reads the Reports routes, each report with its settings (the query)', () => {
    expect(parseRoute('/reports', '')).toEqual({ name: 'reports' });
    expect(parseRoute('/reports/segment-performance', '?segments=2&type=stage')).toEqual({
      name: 'report-segment-performance',
      query: 'segments=2&type=stage',
    });
    expect(parseRoute('/reports/model-insights/', '?month=2026-09')).toEqual({
      name: 'report-model-insights',
      query: 'month=2026-09',
    });
    // The Models page sits in the section at its own address.
    expect(parseRoute('/models', '')).toEqual({ name: 'models' });
    expect(parseRoute('/models/', '')).toEqual({ name: 'models' });
    expect(parseRoute('/models/23', '')).toEqual({ name: 'accounts', query: '' });
  });

  it('reads the Orchestrations routes', () => {
    expect(parseRoute('/orchestrations', '')).toEqual({ name: 'orchestrations' });
    expect(parseRoute('/orchestrations/new/', '')).toEqual({ name: 'orchestration-new' });
    expect(parseRoute('/orchestrations/4', '')).toEqual({ name: 'orchestration-preview', id: '4' });
    expect(parseRoute('/orchestrations/4/edit', '')).toEqual({ name: 'orchestration-edit', id: '4' });
    expect(parseRoute('/orchestrations/4/history', '?run=19')).toEqual({
      name: 'orchestration-history',
      id: '4',
      runId: '19',
    });
    expect(parseRoute('/orchestrations/4/history', '')).toEqual({
      name: 'orchestration-history',
      id: '4',
      runId: '',
    });
  });

  it('shows the list for any other path', () => {
    expect(parseRoute('/', '')).toEqual({ name: 'accounts', query: '' });
    expect(parseRoute('/accounts/a/b', undefined)).toEqual({ name: 'accounts', query: '' });
  });
});
