import * as oidc from 'openid-client';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { OidcConfig } from './env';

/**
 * The identity provider, through openid-client (authorization code flow with PKCE, state and
 * nonce): discovery once (retried after a failure), the authorization URL, then the code exchange
 * whose ID token the library validates (issuer, audience, expiry, nonce, and — turned on here —
 * its signature against the provider's published keys).
 */
export interface OidcClient {
  /** The provider's host name, for "Sign in with …". */
  readonly issuerHost: string;
  authorizationUrl(request: { state: string; nonce: string; codeVerifier: string }): Promise<URL>;
  /**
   * Exchanges the code of `callbackUrl` and returns the validated ID token's claims (completed
   * with the UserInfo endpoint's email when the ID token has none). `now` is the clock the ID
   * token's times are checked against.
   */
  exchange(
    callbackUrl: URL,
    checks: { state: string; nonce: string; codeVerifier: string },
    now: Date,
  ): Promise<IdentityClaims>;
}

export interface IdentityClaims {
  sub: string;
  /** Lowercased; null when the provider sent none. */
  email: string | null;
  /** False only when the provider says the address is not verified. */
  emailVerified: boolean;
  name: string | null;
  /** The role claim's values (a string claim is one value). */
  roleValues: string[];
}

export const OIDC_SCOPES = 'openid email profile';

const claimsSchema = z.looseObject({
  sub: z.string().min(1),
  email: z.string().optional(),
  email_verified: z.union([z.boolean(), z.string()]).optional(),
  name: z.string().optional(),
  given_name: z.string().optional(),
  family_name: z.string().optional(),
  preferred_username: z.string().optional(),
});

/** A refusal of the provider's answer: the user sees the message after the redirect. */
const refused = (message: string) => new AppError('unauthorized', message);

export function createOidcClient(
  config: OidcConfig,
  options: {
    timeoutSeconds?: number;
    clockToleranceSeconds?: number;
    /** The HTTP client the library calls the provider with (tests put a tampering proxy here). */
    fetch?: oidc.CustomFetch;
  } = {},
): OidcClient {
  const issuer = new URL(config.issuerUrl);
  const insecure = issuer.protocol === 'http:';
  let discovered: Promise<oidc.Configuration> | null = null;

  const discover = (): Promise<oidc.Configuration> => {
    discovered ??= oidc
      .discovery(issuer, config.clientId, config.clientSecret, undefined, {
        timeout: options.timeoutSeconds ?? 15,
        ...(insecure ? { execute: [oidc.allowInsecureRequests] } : {}),
        ...(options.fetch ? { [oidc.customFetch]: options.fetch } : {}),
      })
      .catch((error: unknown) => {
        discovered = null;
        throw new AppError(
          'unauthorized',
          `the identity provider at ${issuer.origin} could not be reached or described (${messageOf(error)}); try again later`,
        );
      });
    return discovered;
  };

  /** A configuration whose clock is `now` (so tests and a skewed host check times the same way). */
  const configurationAt = (base: oidc.Configuration, now: Date): oidc.Configuration => {
    const server = base.serverMetadata();
    const auth =
      server.token_endpoint_auth_methods_supported?.includes('client_secret_basic') !== false
        ? oidc.ClientSecretBasic(config.clientSecret)
        : oidc.ClientSecretPost(config.clientSecret);
    const at = new oidc.Configuration(
      server,
      config.clientId,
      {
        [oidc.clockSkew]: (now.getTime() - Date.now()) / 1000,
        ...(options.clockToleranceSeconds !== undefined
          ? { [oidc.clockTolerance]: options.clockToleranceSeconds }
          : {}),
      },
      auth,
    );
    at.timeout = options.timeoutSeconds ?? 15;
    if (options.fetch) at[oidc.customFetch] = options.fetch;
    if (insecure) oidc.allowInsecureRequests(at);
    // The ID token's signature is checked against the provider's keys too, not only trusted
    // because it came over TLS from the token endpoint (which OIDC Core allows, and the library's
    // default follows).
    oidc.enableNonRepudiationChecks(at);
    return at;
  };

  return {
    issuerHost: issuer.host,
    async authorizationUrl({ state, nonce, codeVerifier }) {
      const base = await discover();
      return oidc.buildAuthorizationUrl(base, {
        redirect_uri: config.redirectUri,
        scope: OIDC_SCOPES,
        response_type: 'code',
        state,
        nonce,
        code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
        code_challenge_method: 'S256',
      });
    },
    async exchange(callbackUrl, { state, nonce, codeVerifier }, now) {
      const at = configurationAt(await discover(), now);
      let tokens: Awaited<ReturnType<typeof oidc.authorizationCodeGrant>>;
      try {
        tokens = await oidc.authorizationCodeGrant(at, callbackUrl, {
          pkceCodeVerifier: codeVerifier,
          expectedState: state,
          expectedNonce: nonce,
          idTokenExpected: true,
        });
      } catch (error) {
        throw refused(`the identity provider's answer was refused: ${describeFailure(error)}`);
      }
      const parsed = claimsSchema.safeParse(tokens.claims());
      if (!parsed.success) throw refused('the ID token has no subject (sub)');
      let claims: Record<string, unknown> = parsed.data;
      if (!parsed.data.email && tokens.access_token) {
        // Some providers (Keycloak, Okta with thin ID tokens) send the email only from UserInfo.
        try {
          const info = await oidc.fetchUserInfo(at, tokens.access_token, parsed.data.sub);
          claims = { ...info, ...claims, email: info.email, email_verified: info.email_verified };
        } catch {
          // No UserInfo: the user is found by subject or SCIM externalId, or refused for want of an email.
        }
      }
      return identityOf(claimsSchema.parse(claims), claims[config.roleClaim]);
    },
  };
}

function identityOf(claims: z.infer<typeof claimsSchema>, roleClaim: unknown): IdentityClaims {
  const fullName = [claims.given_name, claims.family_name].filter(Boolean).join(' ');
  return {
    sub: claims.sub,
    email: claims.email ? claims.email.trim().toLowerCase() : null,
    emailVerified: !(claims.email_verified === false || claims.email_verified === 'false'),
    name: claims.name ?? (fullName || null),
    roleValues: Array.isArray(roleClaim)
      ? roleClaim.filter((value): value is string => typeof value === 'string')
      : typeof roleClaim === 'string'
        ? [roleClaim]
        : [],
  };
}

function isError(value: unknown): value is Error {
  return typeof value === 'object' && value !== null && typeof (value as Error).message === 'string';
}

function messageOf(error: unknown): string {
  return isError(error) ? error.message : String(error);
}

/** The library's reason in words people can act on (the failed check, when it names one). */
function describeFailure(error: unknown): string {
  if (error instanceof oidc.AuthorizationResponseError || error instanceof oidc.ResponseBodyError)
    return `${error.error}${error.error_description ? ` (${error.error_description})` : ''}`;
  // openid-client wraps the protocol library's error, whose own cause names the claim checked.
  // (Duck-typed: under Jest the library's errors come from another realm than this file's Error.)
  const cause = (error as { cause?: unknown } | null)?.cause;
  const check = isError(cause) ? (cause as Error & { code?: string; cause?: { claim?: string } }) : null;
  const claim = check?.cause?.claim;
  if (check?.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED' && claim === 'exp')
    return "the ID token has expired (if this keeps happening, check this server's clock)";
  if (check?.code === 'OAUTH_JWT_TIMESTAMP_CHECK_FAILED')
    return `the ID token's ${claim ?? 'time'} claim is outside the allowed time (check this server's clock)`;
  if (check?.code === 'OAUTH_JWT_CLAIM_COMPARISON_FAILED' && claim === 'nonce')
    return "the ID token's nonce is not the one this sign-in sent";
  return check ? check.message : messageOf(error);
}
