import type { RequestHandler } from 'express';
import { authorize, type Action } from '../../policies/policies';
import { accessOf } from './requireAccess';

/**
 * After requireAccess: refuses (403 forbidden, naming `what` and the roles that may) a caller
 * that may not do `action`, before the route reads its params, query or body, so a refused
 * role gets 403 whatever it sends. Use cases ask policies.ts again for themselves.
 */
export function allow(action: Action, what: string): RequestHandler {
  return (_req, res, next) => {
    authorize(accessOf(res), action, what);
    next();
  };
}
