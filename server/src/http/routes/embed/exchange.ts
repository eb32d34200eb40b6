import { Router } from 'express';
import type { EmbedConfig } from '../../../embedConfig';
import { AppError } from '../../../errors';
import { recordAccount } from '../../../services/intelligence/recordAccount';
import type { Db } from '../../../store/db';
import { ACCESS_TOKEN_TTL_SECONDS, issueAccessToken } from '../../auth/accessToken';
import { verifyEmbedToken } from '../../auth/embedToken';
import type { AccessKeySource } from '../../auth/requireAccess';
import { claimTokenUse } from '../../auth/tokenUses';
import { parse } from '../../validate';
import { exchangeBody } from './schema';

export interface ExchangeDeps {
  db: Db;
  embed: EmbedConfig;
  keys: AccessKeySource;
  now: () => Date;
  accessTokenTtlSeconds?: number;
}

/**
 * `POST /api/embed/exchange {token}`: a verified, unused embed token becomes a short-lived access
 * token for the dashboard's API calls (a bearer kept in the page's memory, never a cookie).
 * Every refusal is 401 with its own code (token_expired, token_replayed, …).
 */
export function exchangeRoutes(deps: ExchangeDeps): Router {
  const router = Router();
  const ttl = deps.accessTokenTtlSeconds ?? ACCESS_TOKEN_TTL_SECONDS;

  router.post('/api/embed/exchange', async (req, res) => {
    const { token } = parse(exchangeBody, req.body);
    const now = deps.now();
    const identity = await verifyEmbedToken(token, deps.embed, now);
    const firstUse = await claimTokenUse(deps.db, {
      issuer: identity.orgId,
      jti: identity.jti,
      expiresAt: identity.expiresAt,
      now,
    });
    if (!firstUse)
      throw new AppError('token_replayed', 'embed token was already used: ask Salesforce for a new one');

    const accountId = identity.record ? await recordAccount(deps.db, identity.record) : null;
    const access = { ...identity, accountId, role: null };
    const accessToken = await issueAccessToken(access, await deps.keys.signingKey(), now, ttl);
    req.log.info(
      { userId: identity.userId, orgId: identity.orgId, record: identity.record },
      'embed token exchanged',
    );
    res.set('Cache-Control', 'no-store');
    res.json({
      accessToken,
      expiresIn: ttl,
      user: {
        id: identity.userId,
        orgId: identity.orgId,
        name: identity.name,
        email: identity.email,
        perms: identity.perms,
      },
      record: identity.record ? { ...identity.record, accountId, known: accountId !== null } : null,
    });
  });

  return router;
}
