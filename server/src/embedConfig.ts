import { createPublicKey, X509Certificate, type KeyObject } from 'node:crypto';
import { normalizeSalesforceId } from './domain/salesforceId';
import { DEFAULT_ALLOWED_ORIGINS, parseOriginPatterns } from './http/auth/allowedOrigins';

/** How the service checks the embed tokens Salesforce mints (docs/http-api.md "Embed token"). */
export interface EmbedConfig {
  /** RS256: the public key (or certificate) of the org's signing certificate. */
  publicKey?: KeyObject;
  /** HS256: the shared secret's UTF-8 bytes. */
  secret?: Uint8Array;
  /** A token's `iss` must be this org (18-character id); required with a key (config refuses it otherwise). */
  orgId?: string;
  /** Who may frame /embed and post it tokens (origin patterns, see allowedOrigins.ts). */
  allowedOrigins: string[];
}

/** Shortest accepted HS256 secret, the same floor the Apex side enforces. */
export const MIN_EMBED_SECRET_LENGTH = 32;

/**
 * Reads the embed variables from an environment whose blank values are already removed. Returns
 * every problem at once so that loadConfig reports them with the others.
 */
export function parseEmbedEnv(
  env: Record<string, string | undefined>,
): { config: EmbedConfig } | { problems: string[] } {
  const problems: string[] = [];
  const config: EmbedConfig = { allowedOrigins: DEFAULT_ALLOWED_ORIGINS };

  const pem = env.SIGNALFIT_EMBED_PUBLIC_KEY;
  if (pem !== undefined) {
    try {
      config.publicKey = readPublicKey(pem);
    } catch {
      problems.push('SIGNALFIT_EMBED_PUBLIC_KEY: must be an RSA public key or certificate in PEM form');
    }
  }
  const secret = env.SIGNALFIT_EMBED_SECRET;
  if (secret !== undefined) {
    if (secret.length < MIN_EMBED_SECRET_LENGTH) {
      problems.push(`SIGNALFIT_EMBED_SECRET: must have at least ${MIN_EMBED_SECRET_LENGTH} characters`);
    } else {
      config.secret = new TextEncoder().encode(secret);
    }
  }
  const orgId = env.SIGNALFIT_SALESFORCE_ORG_ID;
  if (orgId !== undefined) {
    const normalized = normalizeSalesforceId(orgId);
    if (normalized && normalized.startsWith('00D')) config.orgId = normalized;
    else problems.push('SIGNALFIT_SALESFORCE_ORG_ID: must be a 15- or 18-character org id (00D…)');
  }
  // Without the pin, whoever holds (or reads) the signing material could mint tokens naming any
  // org: the org that installed the panel is part of the trust, not an option.
  if ((pem !== undefined || secret !== undefined) && orgId === undefined) {
    problems.push(
      'SIGNALFIT_SALESFORCE_ORG_ID: is required with SIGNALFIT_EMBED_PUBLIC_KEY or SIGNALFIT_EMBED_SECRET (the id of the org whose tokens are accepted, 00D…)',
    );
  }
  const origins = env.SIGNALFIT_ALLOWED_ORIGINS;
  if (origins !== undefined) {
    const { patterns, invalid } = parseOriginPatterns(origins);
    if (invalid.length > 0 || patterns.length === 0) {
      problems.push(
        `SIGNALFIT_ALLOWED_ORIGINS: each entry must be scheme://host[:port], the host may start with *. (bad: ${invalid.join(' ') || 'empty list'})`,
      );
    } else {
      config.allowedOrigins = patterns;
    }
  }
  return problems.length > 0 ? { problems } : { config };
}

/** A PEM public key, or the public key of a PEM certificate (what Salesforce lets an admin download). */
function readPublicKey(pem: string): KeyObject {
  // A PEM pasted into a one-line variable often has its line breaks written as \n.
  const text = pem.replace(/\\n/g, '\n');
  const key = text.includes('BEGIN CERTIFICATE')
    ? new X509Certificate(text).publicKey
    : createPublicKey(text);
  if (key.asymmetricKeyType !== 'rsa') throw new Error('not an RSA key');
  return key;
}
