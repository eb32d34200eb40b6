import { z } from 'zod';

/**
 * The Outreach settings of the environment (docs/outreach.md). Optional as a whole: without
 * `OUTREACH_CLIENT_ID` the service runs without Outreach and its routes answer
 * `outreach_not_configured`. With it, the secret, the redirect URI and SIGNALFIT_SECRET_KEY (which
 * encrypts the users' tokens) are required.
 */
export interface OutreachConfig {
  clientId: string;
  clientSecret: string;
  /** This service's `/api/outreach/callback` as registered with the Outreach app. */
  redirectUri: string;
  /** REST base, e.g. https://api.outreach.io/api/v2 (no trailing slash). */
  apiUrl: string;
  /** OAuth base: `/authorize` and `/token` live under it. */
  oauthUrl: string;
  /** SIGNALFIT_SECRET_KEY: the secret the token encryption key is derived from. */
  secretKey: string;
}

export const DEFAULT_OUTREACH_API_URL = 'https://api.outreach.io/api/v2';
export const DEFAULT_OUTREACH_OAUTH_URL = 'https://api.outreach.io/oauth';
/** The shortest SIGNALFIT_SECRET_KEY accepted (characters). */
export const MIN_SECRET_KEY_LENGTH = 32;

const httpUrl = z.url({ protocol: /^https?$/ });

const schema = z.object({
  OUTREACH_CLIENT_ID: z.string().optional(),
  OUTREACH_CLIENT_SECRET: z.string().optional(),
  OUTREACH_REDIRECT_URI: httpUrl.optional(),
  OUTREACH_API_URL: httpUrl.default(DEFAULT_OUTREACH_API_URL),
  OUTREACH_OAUTH_URL: httpUrl.default(DEFAULT_OUTREACH_OAUTH_URL),
  SIGNALFIT_SECRET_KEY: z
    .string()
    .min(MIN_SECRET_KEY_LENGTH, `must be at least ${MIN_SECRET_KEY_LENGTH} characters`)
    .optional(),
});

/** The settings (null when Outreach is off), or every problem found (as `VARIABLE: reason`). */
export function parseOutreachEnv(
  env: Record<string, string | undefined>,
): { config: OutreachConfig | null } | { problems: string[] } {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const anySet = e.OUTREACH_CLIENT_ID || e.OUTREACH_CLIENT_SECRET || e.OUTREACH_REDIRECT_URI;
  if (!anySet) return { config: null };
  const problems: string[] = [];
  if (!e.OUTREACH_CLIENT_ID)
    problems.push('OUTREACH_CLIENT_ID: is required with the other OUTREACH_ settings');
  if (!e.OUTREACH_CLIENT_SECRET) problems.push('OUTREACH_CLIENT_SECRET: is required with OUTREACH_CLIENT_ID');
  if (!e.OUTREACH_REDIRECT_URI) problems.push('OUTREACH_REDIRECT_URI: is required with OUTREACH_CLIENT_ID');
  if (!e.SIGNALFIT_SECRET_KEY)
    problems.push(
      'SIGNALFIT_SECRET_KEY: is required with OUTREACH_CLIENT_ID (it encrypts the Outreach tokens)',
    );
  if (problems.length > 0) return { problems };
  return {
    config: {
      clientId: e.OUTREACH_CLIENT_ID!,
      clientSecret: e.OUTREACH_CLIENT_SECRET!,
      redirectUri: e.OUTREACH_REDIRECT_URI!,
      apiUrl: e.OUTREACH_API_URL.replace(/\/+$/, ''),
      oauthUrl: e.OUTREACH_OAUTH_URL.replace(/\/+$/, ''),
      secretKey: e.SIGNALFIT_SECRET_KEY!,
    },
  };
}
