/**
 * Demo mode (README "Demo mode and sign-in"): a visitor of the standalone app is signed in as a
 * demo Admin only on a local trial, that is with the embedded store and nothing that marks a real
 * deployment. Any of these turns it off: a sign-in method, an embed key (the service is wired to a
 * Salesforce org), DATABASE_URL (a shared PostgreSQL), NODE_ENV=production.
 */
export type DemoSignIn = { allowed: true } | { allowed: false; reasons: string[] };

export interface DeploymentFacts {
  /** The store is the embedded one (no DATABASE_URL). */
  embeddedStore: boolean;
  /** SIGNALFIT_EMBED_SECRET or SIGNALFIT_EMBED_PUBLIC_KEY is set. */
  embedKey: boolean;
  /** NODE_ENV, when set. */
  nodeEnv: string | undefined;
  /** A sign-in method for the standalone app is configured (none exists in this version). */
  signInMethod: boolean;
}

export function decideDemoSignIn(facts: DeploymentFacts): DemoSignIn {
  const reasons: string[] = [];
  if (facts.signInMethod) reasons.push('a sign-in method is configured');
  if (facts.embedKey)
    reasons.push('an embed key is set (SIGNALFIT_EMBED_SECRET or SIGNALFIT_EMBED_PUBLIC_KEY)');
  if (!facts.embeddedStore) reasons.push('the store is a PostgreSQL server (DATABASE_URL)');
  if (facts.nodeEnv === 'production') reasons.push('NODE_ENV is production');
  return reasons.length === 0 ? { allowed: true } : { allowed: false, reasons };
}

/** The demo user's identity in its access tokens. */
export const DEMO_USER = {
  orgId: 'signalfit-demo',
  userId: 'demo',
  name: 'Demo user',
  email: null,
} as const;

/** What the app tells a visitor when demo sign-in is off. */
export function accessHelp(demo: DemoSignIn): string {
  if (demo.allowed) return '';
  return (
    `Demo sign-in is off because ${demo.reasons.join(', ')}. ` +
    'This version of the standalone app has no other sign-in method: use Signalfit through its panel ' +
    'inside Salesforce, or, for a local trial on the demo market, start it with the embedded store and ' +
    'without DATABASE_URL, SIGNALFIT_EMBED_SECRET, SIGNALFIT_EMBED_PUBLIC_KEY and NODE_ENV=production.'
  );
}
