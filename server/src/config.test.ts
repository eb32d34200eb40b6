import { loadConfig, type Config } from './config';
import { AppError, isAppError } from './errors';
import { DEFAULT_ALLOWED_ORIGINS } from './http/auth/allowedOrigins';

const CWD = '/srv/signalfit';

/** The AppError loadConfig throws for `env` (fails the test when it accepts it). */
function rejectionOf(env: NodeJS.ProcessEnv): AppError {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    if (isAppError(error)) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

const DEFAULTS: Config = {
  port: 3000,
  host: '127.0.0.1',
  trustProxy: false,
  rateLimits: { signInPerMinute: 20, embedPerMinute: 120, apiPerMinute: 600 },
  store: { dataDir: '/srv/signalfit/.signalfit' },
  logLevel: 'info',
  demo: { accounts: 1000, seed: 42 },
  shutdownGraceMs: 10_000,
  outbound: { timeoutMs: 15_000, retries: 2 },
  secretKey: null,
  publicUrl: null,
  panelProvider: null,
  optOutReportWebhook: null,
  embed: { allowedOrigins: DEFAULT_ALLOWED_ORIGINS },
  salesforce: { connection: null, budgetPercent: 20, fieldMappingFile: null, schedule: '0 2 * * *' },
  demoSignIn: { allowed: true },
  metrics: null,
  oidc: null,
  scimToken: null,
};

const OIDC = {
  OIDC_ISSUER_URL: 'https://login.example.com/realms/acme',
  OIDC_CLIENT_ID: 'signalfit',
  OIDC_CLIENT_SECRET: 'client-secret',
  OIDC_REDIRECT_URI: 'https://signalfit.example.com/api/auth/oidc/callback',
};

describe('loadConfig', () => {
  it('reads single sign-on: the role claim defaults to groups, the role map keeps its order', () => {
    expect(loadConfig(OIDC, CWD).oidc).toEqual({
      issuerUrl: 'https://login.example.com/realms/acme',
      clientId: 'signalfit',
      clientSecret: 'client-secret',
      redirectUri: 'https://signalfit.example.com/api/auth/oidc/callback',
      roleClaim: 'groups',
      roleMap: [],
    });
    const mapped = loadConfig(
      {
        ...OIDC,
        OIDC_ROLE_CLAIM: 'roles',
        OIDC_ROLE_MAP: '{"sf-ops":"operations","sf-admins":"Admin","all":"view_only"}',
      },
      CWD,
    ).oidc;
    expect(mapped?.roleClaim).toBe('roles');
    expect(mapped?.roleMap).toEqual([
      ['sf-ops', 'Operations'],
      ['sf-admins', 'Admin'],
      ['all', 'View Only'],
    ]);
  });

  it('refuses an incomplete or wrong single sign-on setup, naming every problem', () => {
    expect(rejectionOf({ OIDC_ISSUER_URL: 'https://login.example.com' }).details).toEqual({
      problems: [
        'OIDC_CLIENT_ID: is required with the other OIDC_ settings',
        'OIDC_CLIENT_SECRET: is required with the other OIDC_ settings',
        'OIDC_REDIRECT_URI: is required with the other OIDC_ settings',
      ],
    });
    expect(
      rejectionOf({
        ...OIDC,
        OIDC_ISSUER_URL: 'http://login.example.com',
        OIDC_REDIRECT_URI: 'https://signalfit.example.com/callback',
        OIDC_ROLE_MAP: '{"sf-admins":"Owner"}',
      }).details,
    ).toEqual({
      problems: [
        'OIDC_ISSUER_URL: must be https:// (http:// only for a provider on this machine)',
        "OIDC_REDIRECT_URI: must end in /api/auth/oidc/callback (this service's callback)",
        'OIDC_ROLE_MAP: "sf-admins" maps to "Owner", which is not a role (Admin, Operations, Marketing, Sales, Insights, View Only)',
      ],
    });
    expect(rejectionOf({ ...OIDC, OIDC_ROLE_MAP: '["Admin"]' }).message).toContain(
      'OIDC_ROLE_MAP: must be a JSON object',
    );
    expect(rejectionOf({ ...OIDC, OIDC_ROLE_MAP: '{not json' }).message).toContain(
      'OIDC_ROLE_MAP: must be a JSON object',
    );
    expect(loadConfig({ ...OIDC, OIDC_ISSUER_URL: 'http://127.0.0.1:9000' }, CWD).oidc?.issuerUrl).toBe(
      'http://127.0.0.1:9000',
    );
  });

  it('reads SIGNALFIT_SCIM_TOKEN, which must be a long secret', () => {
    expect(loadConfig({ SIGNALFIT_SCIM_TOKEN: 's'.repeat(32) }, CWD).scimToken).toBe('s'.repeat(32));
    expect(rejectionOf({ SIGNALFIT_SCIM_TOKEN: 'short' }).message).toContain(
      'SIGNALFIT_SCIM_TOKEN: must be at least 32 characters',
    );
  });

  it('gives the documented defaults for an empty environment, the embedded store under the working directory', () => {
    expect(loadConfig({}, CWD)).toEqual(DEFAULTS);
  });

  it('turns /metrics on with SIGNALFIT_METRICS=true or with a token, which must be long enough', () => {
    expect(loadConfig({ SIGNALFIT_METRICS: 'true' }, CWD).metrics).toEqual({});
    expect(loadConfig({ SIGNALFIT_METRICS: 'false' }, CWD).metrics).toBeNull();
    expect(loadConfig({ SIGNALFIT_METRICS_TOKEN: 'a-scrape-token-of-32-characters!' }, CWD).metrics).toEqual({
      token: 'a-scrape-token-of-32-characters!',
    });
    expect(rejectionOf({ SIGNALFIT_METRICS: 'yes' }).message).toContain('SIGNALFIT_METRICS');
    expect(rejectionOf({ SIGNALFIT_METRICS_TOKEN: 'short' }).message).toContain(
      'SIGNALFIT_METRICS_TOKEN: must be at least 16 characters',
    );
  });

  it('ignores variables it does not know', () => {
    expect(loadConfig({ PATH: '/usr/bin', HOME: '/root', TERM: 'xterm' }, CWD)).toEqual(DEFAULTS);
  });

  it('reads every variable it knows', () => {
    expect(
      loadConfig(
        {
          PORT: '8080',
          HOST: '0.0.0.0',
          SIGNALFIT_DATA_DIR: '/var/lib/signalfit',
          LOG_LEVEL: 'debug',
          SIGNALFIT_DEMO_ACCOUNTS: '250',
          SIGNALFIT_DEMO_SEED: '0',
          SIGNALFIT_SHUTDOWN_GRACE_MS: '0',
          SIGNALFIT_OUTBOUND_TIMEOUT_MS: '2500',
          SIGNALFIT_OUTBOUND_RETRIES: '0',
          SIGNALFIT_METRICS_TOKEN: 'a-scrape-token-of-32-characters!',
          SIGNALFIT_PUBLIC_URL: 'https://signalfit.example.com/',
          SIGNALFIT_PANEL_PROVIDER: ' Vendor export ',
        },
        CWD,
      ),
    ).toEqual({
      ...DEFAULTS,
      publicUrl: 'https://signalfit.example.com',
      panelProvider: 'Vendor export',
      port: 8080,
      host: '0.0.0.0',
      store: { dataDir: '/var/lib/signalfit' },
      logLevel: 'debug',
      demo: { accounts: 250, seed: 0 },
      shutdownGraceMs: 0,
      outbound: { timeoutMs: 2500, retries: 0 },
      embed: { allowedOrigins: DEFAULT_ALLOWED_ORIGINS },
      salesforce: DEFAULTS.salesforce,
      // Every interface: other machines could reach the demo Admin.
      demoSignIn: { allowed: false, reasons: ['HOST is 0.0.0.0, which other machines can reach'] },
      metrics: { token: 'a-scrape-token-of-32-characters!' },
    });
  });

  it.each([
    'postgres://signalfit@db.internal:5432/signalfit',
    'postgresql://u:p@127.0.0.1/test?sslmode=disable',
  ])('chooses PostgreSQL when DATABASE_URL is %s, whatever SIGNALFIT_DATA_DIR says', (url) => {
    const config = loadConfig({ DATABASE_URL: url, SIGNALFIT_DATA_DIR: '/var/lib/signalfit' }, CWD);
    expect(config.store).toEqual({ databaseUrl: url });
  });

  it.each([
    ['data', '/srv/signalfit/data'],
    ['./stores/one', '/srv/signalfit/stores/one'],
    ['../shared/store', '/srv/shared/store'],
    ['/var/lib/signalfit', '/var/lib/signalfit'],
  ])('resolves SIGNALFIT_DATA_DIR=%s against the working directory to %s', (dir, resolved) => {
    expect(loadConfig({ SIGNALFIT_DATA_DIR: dir }, CWD).store).toEqual({ dataDir: resolved });
  });

  it('takes the working directory it is given, not the process one', () => {
    expect(loadConfig({ SIGNALFIT_DATA_DIR: 'store' }, '/opt/app').store).toEqual({
      dataDir: '/opt/app/store',
    });
    expect(loadConfig({}, '/opt/app').store).toEqual({ dataDir: '/opt/app/.signalfit' });
  });

  it('treats blank values as unset', () => {
    expect(
      loadConfig(
        {
          PORT: '',
          HOST: '',
          DATABASE_URL: '',
          SIGNALFIT_DATA_DIR: '',
          LOG_LEVEL: '',
          SIGNALFIT_DEMO_ACCOUNTS: '',
          SIGNALFIT_DEMO_SEED: '',
          SIGNALFIT_SHUTDOWN_GRACE_MS: '',
        },
        CWD,
      ),
    ).toEqual(DEFAULTS);
  });

  it.each([
    ['0', 0],
    ['65535', 65535],
  ])('accepts PORT=%s', (value, port) => {
    expect(loadConfig({ PORT: value }, CWD).port).toBe(port);
  });

  it.each([
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', 'http'],
    ['DATABASE_URL', 'mysql://x'],
    ['DATABASE_URL', 'db.internal:5432'],
    ['LOG_LEVEL', 'verbose'],
    ['SIGNALFIT_DEMO_ACCOUNTS', '0'],
    ['SIGNALFIT_DEMO_ACCOUNTS', '1000001'],
    ['SIGNALFIT_DEMO_SEED', '-1'],
    ['SIGNALFIT_SHUTDOWN_GRACE_MS', 'soon'],
    ['SIGNALFIT_OUTBOUND_TIMEOUT_MS', '0'],
    ['SIGNALFIT_OUTBOUND_RETRIES', '11'],
    ['SIGNALFIT_PUBLIC_URL', 'signalfit.example.com'],
    ['SIGNALFIT_PUBLIC_URL', 'ftp://signalfit.example.com'],
    ['TRUST_PROXY', 'maybe'],
    ['TRUST_PROXY', '10.0.0.0/33'],
    ['TRUST_PROXY', 'loopback, proxy.internal'],
    ['SIGNALFIT_RATE_LIMIT_SIGNIN_PER_MINUTE', '0'],
    ['SIGNALFIT_RATE_LIMIT_EMBED_PER_MINUTE', 'lots'],
    ['SIGNALFIT_RATE_LIMIT_API_PER_MINUTE', '-1'],
  ])('rejects %s=%s as config_invalid, naming the variable', (name, value) => {
    const error = rejectionOf({ [name]: value });
    expect(error.code).toBe('config_invalid');
    expect(error.message).toContain(name);
  });

  it.each([
    ['false', false],
    ['true', true],
    ['2', 2],
    ['loopback', 'loopback'],
    ['10.0.0.0/8, 192.168.1.4 ,::1, uniquelocal', '10.0.0.0/8,192.168.1.4,::1,uniquelocal'],
  ])('reads TRUST_PROXY=%s as Express trust proxy %p', (value, trust) => {
    expect(loadConfig({ TRUST_PROXY: value }, CWD).trustProxy).toEqual(trust);
  });

  it('reads the rate limits, which tests and benchmarks may raise', () => {
    expect(
      loadConfig(
        {
          SIGNALFIT_RATE_LIMIT_SIGNIN_PER_MINUTE: '5',
          SIGNALFIT_RATE_LIMIT_EMBED_PER_MINUTE: '1000',
          SIGNALFIT_RATE_LIMIT_API_PER_MINUTE: '100000000',
        },
        CWD,
      ).rateLimits,
    ).toEqual({ signInPerMinute: 5, embedPerMinute: 1000, apiPerMinute: 100_000_000 });
  });

  it('accepts the bounds of SIGNALFIT_DEMO_ACCOUNTS', () => {
    expect(loadConfig({ SIGNALFIT_DEMO_ACCOUNTS: '1' }, CWD).demo.accounts).toBe(1);
    expect(loadConfig({ SIGNALFIT_DEMO_ACCOUNTS: '1000000' }, CWD).demo.accounts).toBe(1_000_000);
  });

  it('treats values of only spaces as unset and trims the others', () => {
    expect(loadConfig({ PORT: ' ', SIGNALFIT_DATA_DIR: '  ', SIGNALFIT_DEMO_SEED: '\t' }, CWD)).toEqual(
      DEFAULTS,
    );
    expect(loadConfig({ PORT: ' 8080 ' }, CWD).port).toBe(8080);
  });

  it.each(['0x10', '1e3', '-1', '3000.5', '+80'])(
    'refuses PORT=%s: numbers are decimal digits only',
    (port) => {
      expect(rejectionOf({ PORT: port }).message).toContain('PORT: must be a whole number in decimal digits');
    },
  );

  it('reports every bad value at once, in one config_invalid error', () => {
    const bad = {
      PORT: 'eighty',
      DATABASE_URL: 'mysql://x',
      LOG_LEVEL: 'loud',
      SIGNALFIT_DEMO_ACCOUNTS: '0',
      SIGNALFIT_SHUTDOWN_GRACE_MS: '-5',
    };
    const error = rejectionOf({ ...bad, HOST: '0.0.0.0', SIGNALFIT_DEMO_SEED: '7' });

    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe('config_invalid');
    expect(error.message).not.toContain('\n');
    for (const name of Object.keys(bad)) expect(error.message).toContain(name);
    for (const name of ['HOST', 'SIGNALFIT_DEMO_SEED']) expect(error.message).not.toContain(name);
    const problems = (error.details as { problems: string[] }).problems;
    expect(problems).toHaveLength(Object.keys(bad).length);
    expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(Object.keys(bad).sort());
  });
});
