import { loadConfig } from '../../config';
import { accessHelp, decideDemoSignIn, isLoopbackHost, type DeploymentFacts } from './demoSignIn';
import { DEMO_OFF_SWITCHES, LOOPBACK_HOSTS } from './testing';

const CWD = '/srv/signalfit';
const OIDC_ENV = {
  OIDC_ISSUER_URL: 'https://login.example.com',
  OIDC_CLIENT_ID: 'signalfit',
  OIDC_CLIENT_SECRET: 'secret',
  OIDC_REDIRECT_URI: 'https://signalfit.example.com/api/auth/oidc/callback',
};
const LOCAL_TRIAL: DeploymentFacts = {
  embeddedStore: true,
  embedKey: false,
  nodeEnv: undefined,
  signInMethod: false,
  integrations: [],
  host: '127.0.0.1',
};

describe('demo sign-in from the configuration', () => {
  it('is on for a local trial: the embedded store, loopback HOST and nothing of a real deployment', () => {
    expect(loadConfig({}, CWD).demoSignIn).toEqual({ allowed: true });
    expect(loadConfig({ NODE_ENV: 'development', SIGNALFIT_DATA_DIR: 'x' }, CWD).demoSignIn).toEqual({
      allowed: true,
    });
  });

  it.each(LOOPBACK_HOSTS)('is on with HOST=%s (this machine only)', (host) => {
    expect(loadConfig({ HOST: host }, CWD).demoSignIn).toEqual({ allowed: true });
  });

  it.each(DEMO_OFF_SWITCHES)('is off with %s alone, and says why', (_label, env, reason) => {
    const demo = loadConfig(env, CWD).demoSignIn;
    expect(demo).toEqual({ allowed: false, reasons: [expect.stringContaining(reason)] });
    expect(accessHelp(demo)).toContain(reason);
  });

  it('is off when a sign-in method is configured', () => {
    expect(decideDemoSignIn({ ...LOCAL_TRIAL, signInMethod: true }).allowed).toBe(false);
  });

  it('is off with OIDC single sign-on or SCIM provisioning configured', () => {
    expect(loadConfig(OIDC_ENV, CWD).demoSignIn).toEqual({
      allowed: false,
      reasons: ['a sign-in method is configured'],
    });
    expect(loadConfig({ SIGNALFIT_SCIM_TOKEN: 'x'.repeat(32) }, CWD).demoSignIn).toEqual({
      allowed: false,
      reasons: ['SCIM provisioning (SIGNALFIT_SCIM_TOKEN) is configured'],
    });
  });

  it('is off for any integration, including ones added later', () => {
    expect(decideDemoSignIn({ ...LOCAL_TRIAL, integrations: ['Slack (SLACK_BOT_TOKEN)'] })).toEqual({
      allowed: false,
      reasons: ['Slack (SLACK_BOT_TOKEN) is configured'],
    });
  });

  it('tells loopback hosts from the wildcards and other addresses', () => {
    for (const host of LOOPBACK_HOSTS) expect(isLoopbackHost(host)).toBe(true);
    for (const host of ['0.0.0.0', '::', '0:0:0:0:0:0:0:0', '10.0.0.1', '::2', 'localhost.example.com', ''])
      expect(isLoopbackHost(host)).toBe(false);
  });

  it('lists every reason at once, and the help says how to configure access', () => {
    const demo = decideDemoSignIn({
      embeddedStore: false,
      embedKey: true,
      nodeEnv: 'production',
      signInMethod: false,
      integrations: ['Salesforce (SALESFORCE_CLIENT_ID)', 'Outreach (OUTREACH_CLIENT_ID)'],
      host: '0.0.0.0',
    });
    expect(demo.allowed ? [] : demo.reasons).toHaveLength(6);
    const help = accessHelp(demo);
    expect(help).toContain('Demo sign-in is off because');
    expect(help).toContain('panel inside Salesforce');
    expect(help).toContain('HOST=127.0.0.1');
    expect(help).toContain('OIDC_ISSUER_URL');
    expect(help).toContain('docs/sign-in.md');
  });
});
