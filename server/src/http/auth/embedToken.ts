import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { normalizeSalesforceId } from '../../domain/salesforceId';
import type { EmbedConfig } from '../../embedConfig';
import { AppError } from '../../errors';

/** The audience every embed token must name. */
export const EMBED_AUDIENCE = 'signalfit';
/** Longest accepted lifetime (`exp` − `iat`), in seconds. */
export const MAX_EMBED_TOKEN_LIFETIME_SECONDS = 60;
/** Clock difference tolerated between Salesforce and this service, in seconds. */
export const CLOCK_TOLERANCE_SECONDS = 5;

export const RECORD_OBJECTS = ['Account', 'Contact', 'Lead'] as const;
export type RecordObject = (typeof RECORD_OBJECTS)[number];

/** Who opened the dashboard, for which record, as a verified embed token says. */
export interface EmbedIdentity {
  orgId: string;
  userId: string;
  name: string | null;
  email: string | null;
  /** The Signalfit custom permissions the user holds in Salesforce. */
  perms: string[];
  /** The record page the panel is on; null on app and home pages. */
  record: { id: string; objectApiName: RecordObject } | null;
  jti: string;
  expiresAt: Date;
}

const salesforceId = z.string().transform((id, ctx) => {
  const normalized = normalizeSalesforceId(id);
  if (!normalized) {
    ctx.addIssue({ code: 'custom', message: 'must be a 15- or 18-character Salesforce id' });
    return z.NEVER;
  }
  return normalized;
});

const claimsSchema = z.object({
  iss: salesforceId,
  sub: salesforceId,
  rid: salesforceId.nullish(),
  obj: z.enum(RECORD_OBJECTS).nullish(),
  name: z.string().max(500).nullish(),
  email: z.string().max(500).nullish(),
  perms: z.array(z.string().max(100)).max(50).default([]),
  iat: z.number().int(),
  exp: z.number().int(),
  jti: z.string().min(8).max(200),
});

/**
 * Checks an embed token minted by Salesforce (or any tool following the contract of docs/http-api.md):
 * signature (RS256 with the configured public key, or HS256 with the shared secret), `aud`,
 * `iss` (the configured org, always), expiry, and a lifetime of at most 60 s. The single use of
 * `jti` is checked by the caller against the store (tokenUses.ts). Each refusal is an AppError
 * with its own code.
 */
export async function verifyEmbedToken(
  token: string,
  config: EmbedConfig,
  now: Date,
): Promise<EmbedIdentity> {
  const key = keyFor(token, config);
  let payload: Record<string, unknown>;
  try {
    ({ payload } = await jwtVerify(token, key.key, {
      algorithms: [key.algorithm],
      audience: EMBED_AUDIENCE,
      currentDate: now,
      clockTolerance: CLOCK_TOLERANCE_SECONDS,
      requiredClaims: ['iat', 'exp', 'jti', 'sub', 'iss'],
    }));
  } catch (error) {
    throw refusalFor(error);
  }

  const parsed = claimsSchema.safeParse(payload);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new AppError('token_malformed', `embed token has invalid claims: ${problems.join('; ')}`);
  }
  const claims = parsed.data;
  if (claims.iss !== config.orgId) {
    throw new AppError('token_wrong_issuer', 'embed token was issued by another Salesforce org');
  }
  if (claims.exp - claims.iat > MAX_EMBED_TOKEN_LIFETIME_SECONDS) {
    throw new AppError(
      'token_lifetime_too_long',
      `embed token lives ${claims.exp - claims.iat} s; at most ${MAX_EMBED_TOKEN_LIFETIME_SECONDS} s are accepted`,
    );
  }
  if (claims.iat > now.getTime() / 1000 + CLOCK_TOLERANCE_SECONDS) {
    throw new AppError('token_malformed', 'embed token is issued in the future (check the clocks)');
  }
  if ((claims.rid == null) !== (claims.obj == null)) {
    throw new AppError('token_malformed', 'embed token must carry both rid and obj, or neither');
  }
  return {
    orgId: claims.iss,
    userId: claims.sub,
    name: claims.name ?? null,
    email: claims.email ?? null,
    perms: claims.perms,
    record: claims.rid && claims.obj ? { id: claims.rid, objectApiName: claims.obj } : null,
    jti: claims.jti,
    expiresAt: new Date(claims.exp * 1000),
  };
}

/** The configured key for the token's algorithm; anything else is refused before any crypto. */
function keyFor(token: string, config: EmbedConfig) {
  if (!config.publicKey && !config.secret) {
    throw new AppError(
      'embed_not_configured',
      'embedding is not configured: set SIGNALFIT_EMBED_PUBLIC_KEY (RS256) or SIGNALFIT_EMBED_SECRET (HS256)',
    );
  }
  // loadConfig refuses a key without the org pin; an app built another way must not accept every org.
  if (!config.orgId) {
    throw new AppError(
      'embed_not_configured',
      'embedding is not configured: set SIGNALFIT_SALESFORCE_ORG_ID to the org whose tokens are accepted',
    );
  }
  let algorithm: unknown;
  try {
    algorithm = decodeProtectedHeader(token).alg;
  } catch {
    throw new AppError('token_malformed', 'embed token is not a compact JWT');
  }
  if (algorithm === 'RS256' && config.publicKey) return { algorithm, key: config.publicKey } as const;
  if (algorithm === 'HS256' && config.secret) return { algorithm, key: config.secret } as const;
  throw new AppError(
    'token_invalid_signature',
    `embed token is signed with ${typeof algorithm === 'string' ? algorithm : 'no algorithm'}, which this service does not accept`,
  );
}

function refusalFor(error: unknown): AppError {
  if (error instanceof errors.JWTExpired) return new AppError('token_expired', 'embed token has expired');
  if (error instanceof errors.JWSSignatureVerificationFailed) {
    return new AppError('token_invalid_signature', 'embed token signature does not verify');
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'aud') {
      return new AppError('token_wrong_audience', `embed token audience must be "${EMBED_AUDIENCE}"`);
    }
    return new AppError('token_malformed', `embed token claim ${error.claim}: ${error.message}`);
  }
  if (error instanceof errors.JOSEError)
    return new AppError('token_malformed', 'embed token is not a valid JWT');
  return error instanceof AppError ? error : new AppError('token_malformed', 'embed token could not be read');
}
