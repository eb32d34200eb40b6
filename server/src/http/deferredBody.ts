import express, { type RequestHandler } from 'express';
import { bodyParserError } from './errors';

/**
 * express.json for the whole API, with one difference: a body it cannot take (not JSON, too
 * large, a bad charset) is not answered at once. The error waits in `req.body` and is thrown when
 * a handler reads the body, which every handler does after its access check — so a caller
 * without the right role gets 403 whatever it sends, and no credentials get 401.
 */
export function jsonBodyAfterAccess(options: { limit: string }): RequestHandler {
  const json = express.json(options);
  return (req, res, next) => {
    json(req, res, (error?: unknown) => {
      if (error === undefined) return next();
      const refusal = bodyParserError(error);
      if (!refusal) return next(error);
      Object.defineProperty(req, 'body', {
        configurable: true,
        enumerable: true,
        get() {
          throw refusal;
        },
      });
      next();
    });
  };
}
