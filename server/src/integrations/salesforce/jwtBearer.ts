import { createPrivateKey, type KeyObject } from 'node:crypto';
import { SignJWT } from 'jose';

/**
 * The OAuth 2.0 JWT bearer assertion Salesforce accepts for a server-to-server login
 * (Salesforce's OAuth 2.0 JWT bearer flow): RS256-signed, `iss` the connected app's client id, `sub` the integration
 * user's username, `aud` the login URL, `exp` at most 3 minutes ahead.
 */
export interface AssertionClaims {
  clientId: string;
  username: string;
  loginUrl: string;
}

const LIFETIME_SECONDS = 180;

/** Reads a PEM private key (PKCS#8 or PKCS#1 "RSA PRIVATE KEY"); throws a plain message when it is not one. */
export function readPrivateKey(pem: string): KeyObject {
  try {
    return createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('the Salesforce private key is not a PEM private key');
  }
}

/** Signs a fresh assertion. */
export async function signAssertion(
  claims: AssertionClaims,
  key: KeyObject,
  now: Date = new Date(),
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(claims.clientId)
    .setSubject(claims.username)
    .setAudience(claims.loginUrl)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + LIFETIME_SECONDS)
    .sign(key);
}
