import { z } from 'zod';
import { DEFAULT_OUTBOUND_LIMITS, fetchTextWithin, OutboundTimeoutError } from '../outbound';
import { OutreachOAuthError } from './errors';

/**
 * Outreach's OAuth 2 authorization-code flow: the authorize URL the user's browser goes to, and
 * the form-encoded token endpoint for the code exchange and the refresh. Token requests have a
 * deadline but are never retried: a code is good once, and a refresh may have rotated the refresh
 * token even when its answer was lost, so a second try would only be refused.
 */
export const OUTREACH_SCOPES = [
  'prospects.read',
  'prospects.write',
  'sequences.read',
  'sequenceStates.read',
  'sequenceStates.write',
  'mailboxes.read',
  'users.read',
] as const;

export interface OAuthSettings {
  oauthUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
}

export interface OutreachTokens {
  accessToken: string;
  refreshToken: string;
  expiresAt: Date;
  scope: string;
}

const tokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string().optional(),
  expires_in: z.number().positive(),
  refresh_token: z.string().min(1),
  scope: z.string().default(''),
  created_at: z.number().optional(),
});

export function authorizeUrl(settings: OAuthSettings, state: string): string {
  const url = new URL(`${settings.oauthUrl}/authorize`);
  url.searchParams.set('client_id', settings.clientId);
  url.searchParams.set('redirect_uri', settings.redirectUri);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('scope', OUTREACH_SCOPES.join(' '));
  url.searchParams.set('state', state);
  return url.toString();
}

/** How a token request goes out: the HTTP client and its deadline (default 15 s). */
export interface TokenRequestOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function exchangeCode(
  settings: OAuthSettings,
  code: string,
  now: Date,
  options: TokenRequestOptions = {},
): Promise<OutreachTokens> {
  return tokenRequest(settings, { grant_type: 'authorization_code', code }, now, options);
}

export function refreshTokens(
  settings: OAuthSettings,
  refreshToken: string,
  now: Date,
  options: TokenRequestOptions = {},
): Promise<OutreachTokens> {
  return tokenRequest(settings, { grant_type: 'refresh_token', refresh_token: refreshToken }, now, options);
}

async function tokenRequest(
  settings: OAuthSettings,
  grant: Record<string, string>,
  now: Date,
  options: TokenRequestOptions,
): Promise<OutreachTokens> {
  const body = new URLSearchParams({
    client_id: settings.clientId,
    client_secret: settings.clientSecret,
    redirect_uri: settings.redirectUri,
    ...grant,
  });
  let response: Response;
  let text: string;
  try {
    ({ response, text } = await fetchTextWithin(
      options.fetch ?? fetch,
      `${settings.oauthUrl}/token`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        body,
      },
      options.timeoutMs ?? DEFAULT_OUTBOUND_LIMITS.timeoutMs,
      'the Outreach token endpoint',
    ));
  } catch (error) {
    if (error instanceof OutboundTimeoutError) throw new OutreachOAuthError(0, 'timeout', error.message);
    throw new OutreachOAuthError(
      0,
      'unreachable',
      `Outreach token endpoint unreachable: ${(error as Error).message}`,
    );
  }
  let json: unknown = null;
  try {
    json = JSON.parse(text);
  } catch {
    // Reported below with the status.
  }
  if (!response.ok) {
    const fields = z
      .object({ error: z.string().optional(), error_description: z.string().optional() })
      .safeParse(json);
    const error = fields.success
      ? (fields.data.error ?? `http_${response.status}`)
      : `http_${response.status}`;
    const description = fields.success ? fields.data.error_description : undefined;
    throw new OutreachOAuthError(
      response.status,
      error,
      `Outreach refused the token request (${response.status} ${error}${description ? `: ${description}` : ''})`,
    );
  }
  const parsed = tokenResponse.safeParse(json);
  if (!parsed.success) {
    throw new OutreachOAuthError(response.status, 'invalid_response', 'Outreach token response is not valid');
  }
  const t = parsed.data;
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token,
    expiresAt: new Date(now.getTime() + t.expires_in * 1000),
    scope: t.scope,
  };
}
