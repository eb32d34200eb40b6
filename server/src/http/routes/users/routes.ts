import { Router } from 'express';
import { authorize } from '../../../policies/policies';
import { createUser, listUsers, updateUser, userView } from '../../../services/users/manageUsers';
import type { Db } from '../../../store/db';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { createUserBody, updateUserBody, userIdParams } from './schema';

export interface UserDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/**
 * The standalone app's users (docs/http-api.md "Users and API keys"): `GET /api/users`,
 * `POST /api/users`, `PATCH /api/users/:id`. Admin only (users.manage), checked before the body
 * is read, so a refused role gets 403 whatever it sends.
 */
export function userRoutes(deps: UserDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const { db } = deps;

  router.get('/api/users', auth, async (_req, res) => {
    const users = await listUsers(db, accessOf(res));
    res.set('Cache-Control', 'private, no-store');
    res.json({ users: users.map(userView) });
  });

  router.post('/api/users', auth, async (req, res) => {
    authorize(accessOf(res), 'users.manage', 'adding users');
    const body = parse(createUserBody, req.body ?? {});
    const user = await createUser(db, accessOf(res), body, deps.now());
    res.status(201).json({ user: userView(user) });
  });

  router.patch('/api/users/:id', auth, async (req, res) => {
    authorize(accessOf(res), 'users.manage', 'changing users');
    const { id } = parse(userIdParams, req.params);
    const changes = parse(updateUserBody, req.body ?? {});
    const user = await updateUser(db, accessOf(res), id, changes, deps.now());
    res.json({ user: userView(user) });
  });

  return router;
}
