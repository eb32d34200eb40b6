import { loadConfig } from '../../config';
import { TEST_EMBED_SECRET } from '../../http/auth/testing';
import { accessHelp, decideDemoSignIn } from './demoSignIn';

const CWD = '/srv/signalfit';

describe('demo sign-in from the configuration', () => {
  it('is on for a local trial: the embedded store and nothing of a real deployment', () => {
    expect(loadConfig({}, CWD).demoSignIn).toEqual({ allowed: true });
    expect(loadConfig({ NODE_ENV: 'development', SIGNALFIT_DATA_DIR: 'x' }, CWD).demoSignIn).toEqual({
      allowed: true,
    });
  });

  it.each([
    ['an embed secret', { SIGNALFIT_EMBED_SECRET: TEST_EMBED_SECRET }, 'SIGNALFIT_EMBED_SECRET'],
    ['a PostgreSQL database', { DATABASE_URL: 'postgres://signalfit@db.internal/signalfit' }, 'DATABASE_URL'],
    ['NODE_ENV=production', { NODE_ENV: 'production' }, 'NODE_ENV is production'],
  ])('is off with %s, and says why', (_label, env, reason) => {
    const demo = loadConfig(env, CWD).demoSignIn;
    expect(demo.allowed).toBe(false);
    expect(demo.allowed ? [] : demo.reasons.join(' ')).toContain(reason);
  });

  it('is off with an embed public key', () => {
    expect(
      decideDemoSignIn({ embeddedStore: true, embedKey: true, nodeEnv: undefined, signInMethod: false }),
    ).toEqual({ allowed: false, reasons: [expect.stringContaining('SIGNALFIT_EMBED_PUBLIC_KEY')] });
  });

  it('is off when a sign-in method is configured', () => {
    expect(
      decideDemoSignIn({ embeddedStore: true, embedKey: false, nodeEnv: undefined, signInMethod: true })
        .allowed,
    ).toBe(false);
  });

  it('lists every reason at once, and the help names only settings that exist', () => {
    const demo = decideDemoSignIn({
      embeddedStore: false,
      embedKey: true,
      nodeEnv: 'production',
      signInMethod: false,
    });
    expect(demo.allowed ? [] : demo.reasons).toHaveLength(3);
    const help = accessHelp(demo);
    expect(help).toContain('Demo sign-in is off because');
    expect(help).not.toMatch(/OIDC/);
  });
});
