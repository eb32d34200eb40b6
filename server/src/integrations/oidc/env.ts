import { z } from 'zod';
import { parseRole, ROLES, type Role } from '../../domain/vocabulary';
import { isLoopbackHost } from '../../services/session/demoSignIn';

/**
 * The OIDC settings of the environment (docs/sign-in.md). Optional as a whole: without
 * OIDC_ISSUER_URL the standalone app has no single sign-on. With it, the client id and secret
 * and the redirect URI are required, and OIDC_ROLE_MAP must name only known roles.
 */
export interface OidcConfig {
  /** The provider's issuer identifier; discovery reads `<issuer>/.well-known/openid-configuration`. */
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  /** This service's `/api/auth/oidc/callback`, as registered with the provider. */
  redirectUri: string;
  /** The ID token claim whose values the role map looks up (a string or an array of strings). */
  roleClaim: string;
  /** Claim value → role, in the order written: the first entry the user's values match wins. */
  roleMap: [claimValue: string, role: Role][];
}

export const DEFAULT_ROLE_CLAIM = 'groups';
export const OIDC_CALLBACK_PATH = '/api/auth/oidc/callback';

const schema = z.object({
  OIDC_ISSUER_URL: z
    .url({ protocol: /^https?$/, error: "must be the provider's https:// issuer URL" })
    .optional(),
  OIDC_CLIENT_ID: z.string().optional(),
  OIDC_CLIENT_SECRET: z.string().optional(),
  OIDC_REDIRECT_URI: z
    .url({
      protocol: /^https?$/,
      error: `must be this service's http(s):// address ending in ${OIDC_CALLBACK_PATH}`,
    })
    .optional(),
  OIDC_ROLE_CLAIM: z.string().min(1).default(DEFAULT_ROLE_CLAIM),
  OIDC_ROLE_MAP: z.string().optional(),
});

/**
 * http:// is accepted only for a provider on this machine (a local Keycloak, the tests'
 * oidc-provider); anywhere else the ID token and the client secret travel over TLS.
 */
function plainHttpAllowed(url: string): boolean {
  const { protocol, hostname } = new URL(url);
  return protocol === 'https:' || isLoopbackHost(hostname.replace(/^\[|\]$/g, ''));
}

/** The settings (null when OIDC is off), or every problem found (as `VARIABLE: reason`). */
export function parseOidcEnv(
  env: Record<string, string | undefined>,
): { config: OidcConfig | null } | { problems: string[] } {
  const parsed = schema.safeParse(env);
  if (!parsed.success)
    return { problems: parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`) };
  const e = parsed.data;
  const anySet = e.OIDC_ISSUER_URL || e.OIDC_CLIENT_ID || e.OIDC_CLIENT_SECRET || e.OIDC_REDIRECT_URI;
  if (!anySet) {
    return e.OIDC_ROLE_MAP
      ? { problems: ['OIDC_ROLE_MAP: is set but OIDC_ISSUER_URL is not'] }
      : { config: null };
  }
  const problems: string[] = [];
  for (const name of [
    'OIDC_ISSUER_URL',
    'OIDC_CLIENT_ID',
    'OIDC_CLIENT_SECRET',
    'OIDC_REDIRECT_URI',
  ] as const)
    if (!e[name]) problems.push(`${name}: is required with the other OIDC_ settings`);
  if (e.OIDC_ISSUER_URL && !plainHttpAllowed(e.OIDC_ISSUER_URL))
    problems.push('OIDC_ISSUER_URL: must be https:// (http:// only for a provider on this machine)');
  if (e.OIDC_REDIRECT_URI && new URL(e.OIDC_REDIRECT_URI).pathname !== OIDC_CALLBACK_PATH)
    problems.push(`OIDC_REDIRECT_URI: must end in ${OIDC_CALLBACK_PATH} (this service's callback)`);
  const roleMap = parseRoleMap(e.OIDC_ROLE_MAP, problems);
  if (problems.length > 0) return { problems };
  return {
    config: {
      issuerUrl: e.OIDC_ISSUER_URL!,
      clientId: e.OIDC_CLIENT_ID!,
      clientSecret: e.OIDC_CLIENT_SECRET!,
      redirectUri: e.OIDC_REDIRECT_URI!,
      roleClaim: e.OIDC_ROLE_CLAIM,
      roleMap,
    },
  };
}

function parseRoleMap(text: string | undefined, problems: string[]): OidcConfig['roleMap'] {
  if (!text) return [];
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    problems.push('OIDC_ROLE_MAP: must be a JSON object, e.g. {"signalfit-admins":"Admin"}');
    return [];
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    problems.push('OIDC_ROLE_MAP: must be a JSON object, e.g. {"signalfit-admins":"Admin"}');
    return [];
  }
  const map: OidcConfig['roleMap'] = [];
  for (const [claimValue, roleText] of Object.entries(value)) {
    const role = typeof roleText === 'string' ? parseRole(roleText) : null;
    if (!role) {
      problems.push(
        `OIDC_ROLE_MAP: "${claimValue}" maps to ${JSON.stringify(roleText)}, which is not a role (${ROLES.join(', ')})`,
      );
    } else map.push([claimValue, role]);
  }
  return map;
}
