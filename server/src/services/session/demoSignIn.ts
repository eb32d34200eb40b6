import { BlockList, isIP } from 'node:net';

/**
 * Demo mode (docs/standalone-app.md "Demo mode and sign-in"): a visitor of the standalone app is signed in as a
 * demo Admin only on a local trial. Every visitor shares that one identity with full access, so it
 * must need all of: nothing connected to a real system (no integration, no embed key, no sign-in
 * method), nothing of a production deployment (no DATABASE_URL, NODE_ENV is not production), and a
 * HOST that only this machine can reach. Anything else turns it off — it fails closed.
 */
export type DemoSignIn = { allowed: true } | { allowed: false; reasons: string[] };

export interface DeploymentFacts {
  /** The store is the embedded one (no DATABASE_URL). */
  embeddedStore: boolean;
  /** SIGNALFIT_EMBED_SECRET or SIGNALFIT_EMBED_PUBLIC_KEY is set. */
  embedKey: boolean;
  /** NODE_ENV, when set. */
  nodeEnv: string | undefined;
  /** A sign-in method for the standalone app is configured (OIDC single sign-on). */
  signInMethod: boolean;
  /** The integrations configured, each as the setting that turns it on, e.g. `Salesforce (SALESFORCE_CLIENT_ID)`. */
  integrations: string[];
  /** The interface the service listens on (HOST). */
  host: string;
}

export function decideDemoSignIn(facts: DeploymentFacts): DemoSignIn {
  const reasons: string[] = [];
  if (facts.signInMethod) reasons.push('a sign-in method is configured');
  for (const integration of facts.integrations) reasons.push(`${integration} is configured`);
  if (facts.embedKey)
    reasons.push('an embed key is set (SIGNALFIT_EMBED_SECRET or SIGNALFIT_EMBED_PUBLIC_KEY)');
  if (!facts.embeddedStore) reasons.push('the store is a PostgreSQL server (DATABASE_URL)');
  if (facts.nodeEnv === 'production') reasons.push('NODE_ENV is production');
  if (!isLoopbackHost(facts.host)) reasons.push(`HOST is ${facts.host}, which other machines can reach`);
  return reasons.length === 0 ? { allowed: true } : { allowed: false, reasons };
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

/** 127.0.0.0/8, ::1 or localhost. The wildcards 0.0.0.0 and :: listen on every interface: not loopback. */
export function isLoopbackHost(host: string): boolean {
  if (host.toLowerCase() === 'localhost') return true;
  const version = isIP(host);
  return version !== 0 && LOOPBACK.check(host, version === 4 ? 'ipv4' : 'ipv6');
}

/** The demo user's identity in its access tokens. */
export const DEMO_USER = {
  orgId: 'signalfit-demo',
  userId: 'demo',
  name: 'Demo user',
  email: null,
} as const;

/** What the app tells a visitor (and `signalfit serve` its operator) when demo sign-in is off. */
export function accessHelp(demo: DemoSignIn): string {
  if (demo.allowed) return '';
  return (
    `Demo sign-in is off because ${demo.reasons.join(', ')}. ` +
    'To let people sign in to the standalone app, configure single sign-on with your identity ' +
    'provider (OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URI: see ' +
    'docs/sign-in.md), or use Signalfit through its panel inside Salesforce. ' +
    'For a local trial on the demo market, start it on this machine only ' +
    '(HOST=127.0.0.1, the default) with the embedded store and without DATABASE_URL, ' +
    'SIGNALFIT_EMBED_SECRET, SIGNALFIT_EMBED_PUBLIC_KEY, SALESFORCE_CLIENT_ID, OUTREACH_CLIENT_ID, ' +
    'OIDC_ISSUER_URL, SIGNALFIT_SCIM_TOKEN and NODE_ENV=production.'
  );
}
