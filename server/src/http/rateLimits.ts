import type { Request, RequestHandler } from 'express';
import { ipKeyGenerator, rateLimit, type Options } from 'express-rate-limit';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { accessVerifier, bearerTokenOf, type AccessKeySource } from './auth/requireAccess';

/**
 * Requests a client may make per minute (docs/http-api.md "Rate limits"), counted in memory by each
 * instance: sign-in and the embed-token exchange per client address (behind TRUST_PROXY), the
 * rest of the API per signed-in user (per address for a request without a valid access token).
 */
export interface RateLimits {
  signInPerMinute: number;
  embedPerMinute: number;
  apiPerMinute: number;
}

export const DEFAULT_RATE_LIMITS: RateLimits = {
  signInPerMinute: 20,
  embedPerMinute: 120,
  apiPerMinute: 600,
};

const WINDOW_MS = 60_000;

export interface RateLimiters {
  /** `POST /api/session/…`: the standalone app's sign-in, per client address. */
  signIn: RequestHandler;
  /** `POST /api/embed/exchange`, per client address. */
  embedExchange: RequestHandler;
  /** Every other `/api` route, per user (or address). */
  api: RequestHandler;
}

export function rateLimiters(props: {
  limits: RateLimits;
  keys: AccessKeySource;
  now: () => Date;
  logger: Logger;
}): RateLimiters {
  const { limits, logger } = props;
  const verify = accessVerifier(props.keys);
  const byAddress = (req: Request) => `address:${ipKeyGenerator(req.ip ?? '')}`;
  const common = (limit: number, what: string): Partial<Options> => ({
    windowMs: WINDOW_MS,
    limit,
    // RateLimit and RateLimit-Policy headers (IETF draft 7), and Retry-After on a refusal.
    standardHeaders: 'draft-7',
    legacyHeaders: false,
    // express-rate-limit's own warnings (e.g. X-Forwarded-For without TRUST_PROXY) go to our logs.
    logger: {
      error: (error, message) => logger.error({ err: error }, message ?? 'rate limiter error'),
      warn: (error, message) => logger.warn({ err: error }, message ?? 'rate limiter warning'),
    },
    handler: (req, res, next) => {
      const retryAfterSeconds = Number(res.getHeader('Retry-After')) || WINDOW_MS / 1000;
      next(
        new AppError(
          'rate_limited',
          `too many requests: at most ${limit} a minute ${what}; retry in ${retryAfterSeconds} s`,
          { limit, windowSeconds: WINDOW_MS / 1000, retryAfterSeconds },
        ),
      );
    },
  });

  return {
    signIn: rateLimit({
      ...common(limits.signInPerMinute, 'to sign in from one address'),
      // Asking how to sign in (GET /api/session) is not a sign-in: the API limit covers it.
      skip: (req) => req.method !== 'POST',
      keyGenerator: byAddress,
    }),
    embedExchange: rateLimit({
      ...common(limits.embedPerMinute, 'to exchange embed tokens from one address'),
      keyGenerator: byAddress,
    }),
    api: rateLimit({
      ...common(limits.apiPerMinute, 'per user'),
      // The routes that have their own limit above.
      skip: (req) =>
        /^\/embed\/exchange\/?$/.test(req.path) ||
        (req.method === 'POST' && /^\/session(\/|$)/.test(req.path)),
      keyGenerator: async (req) => {
        const token = bearerTokenOf(req);
        if (token) {
          try {
            const access = await verify(token, props.now());
            return `user:${access.orgId}/${access.userId}`;
          } catch {
            // An invalid or expired token counts against its address; the route refuses it.
          }
        }
        return byAddress(req);
      },
    }),
  };
}
