import { createHash, timingSafeEqual } from 'node:crypto';
import express, { Router, type ErrorRequestHandler, type Request, type Response } from 'express';
import type { z } from 'zod';
import { AppError } from '../../../errors';
import { booleanOf } from '../../../services/scim/patchOps';
import {
  createScimUser,
  deleteScimUser,
  listScimUsers,
  patchScimUser,
  replaceScimUser,
} from '../../../services/scim/provision';
import { findScimUser, USER_SCHEMA, type ScimFields, type ScimUser } from '../../../services/scim/scimUser';
import type { Db } from '../../../store/db';
import { parseScimFilter, scimListQuery, scimPatchBody, scimUserBody, type ScimUserBody } from './schema';
import { resourceTypes, schemaResources, serviceProviderConfig } from './discovery';

export interface ScimDeps {
  db: Db;
  now: () => Date;
  /** SIGNALFIT_SCIM_TOKEN; null: SCIM is off and every /scim/v2 route answers 404. */
  token: string | null;
}

export const SCIM_BASE = '/scim/v2';
const SCIM_MEDIA_TYPE = 'application/scim+json';
const ERROR_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:Error';
const LIST_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const MAX_PAGE = 200;

/**
 * SCIM 2.0 provisioning (docs/sign-in.md "SCIM"; RFC 7644): `/scim/v2/Users` (create, get, list
 * with `userName eq` / `externalId eq` filters and paging, replace, patch, delete) and the
 * discovery resources. Requests and answers are `application/scim+json` (plain JSON accepted),
 * errors are SCIM error bodies. The identity provider authenticates with `Authorization: Bearer
 * <SIGNALFIT_SCIM_TOKEN>`, compared in constant time.
 */
export function scimRoutes(deps: ScimDeps): Router {
  const router = Router();
  const scim = Router();
  router.use(SCIM_BASE, scim);

  scim.use((req, _res, next) => {
    if (!deps.token)
      throw new AppError('not_found', 'SCIM provisioning is not configured (SIGNALFIT_SCIM_TOKEN)');
    if (!bearerMatches(req, deps.token))
      throw new AppError('unauthorized', 'send Authorization: Bearer <SIGNALFIT_SCIM_TOKEN>');
    next();
  });
  scim.use(express.json({ type: ['application/json', SCIM_MEDIA_TYPE, 'application/*+json'], limit: '1mb' }));

  scim.get('/ServiceProviderConfig', (req, res) => send(res, 200, serviceProviderConfig(baseUrl(req))));
  scim.get('/ResourceTypes', (req, res) => send(res, 200, listOf(resourceTypes(baseUrl(req)))));
  scim.get('/ResourceTypes/User', (req, res) => send(res, 200, resourceTypes(baseUrl(req))[0]));
  scim.get('/Schemas', (req, res) => send(res, 200, listOf(schemaResources(baseUrl(req)))));
  scim.get('/Schemas/:id', (req, res) => {
    const found = schemaResources(baseUrl(req)).find((schema) => schema.id === req.params.id);
    if (!found) throw new AppError('not_found', `no schema ${req.params.id}`);
    send(res, 200, found);
  });

  scim.get('/Users', async (req, res) => {
    const query = parsed(scimListQuery, req.query);
    const filter = query.filter ? parseScimFilter(query.filter) : null;
    if (query.filter && !filter)
      throw new ScimError(
        400,
        'invalidFilter',
        'only userName eq "…", externalId eq "…" and id eq "…" filters are supported',
      );
    const page = await listScimUsers(deps.db, {
      filter,
      startIndex: Math.max(1, query.startIndex),
      count: Math.min(MAX_PAGE, Math.max(0, query.count)),
    });
    send(res, 200, {
      schemas: [LIST_SCHEMA],
      totalResults: page.total,
      startIndex: page.startIndex,
      itemsPerPage: page.users.length,
      Resources: page.users.map((user) => resourceOf(user, baseUrl(req))),
    });
  });

  scim.post('/Users', async (req, res) => {
    const user = await createScimUser(deps.db, fieldsOf(parsed(scimUserBody, req.body)), deps.now());
    res.location(`${baseUrl(req)}/Users/${user.id}`);
    send(res, 201, resourceOf(user, baseUrl(req)));
  });

  scim.get('/Users/:id', async (req, res) => {
    const user = await findScimUser(deps.db, String(req.params.id));
    if (!user) throw new AppError('not_found', `no user ${req.params.id}`);
    send(res, 200, resourceOf(user, baseUrl(req)));
  });

  scim.put('/Users/:id', async (req, res) => {
    const user = await replaceScimUser(
      deps.db,
      String(req.params.id),
      fieldsOf(parsed(scimUserBody, req.body)),
      deps.now(),
    );
    send(res, 200, resourceOf(user, baseUrl(req)));
  });

  scim.patch('/Users/:id', async (req, res) => {
    const body = parsed(scimPatchBody, req.body);
    const user = await patchScimUser(deps.db, String(req.params.id), body.Operations, deps.now());
    send(res, 200, resourceOf(user, baseUrl(req)));
  });

  scim.delete('/Users/:id', async (req, res) => {
    await deleteScimUser(deps.db, String(req.params.id), deps.now());
    res.status(204).end();
  });

  scim.use((req) => {
    throw new AppError('not_found', `no SCIM resource ${req.method} ${SCIM_BASE}${req.path}`);
  });
  scim.use(scimErrors);
  return router;
}

/** A SCIM refusal with its `scimType` (RFC 7644 §3.12). */
class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    message: string,
  ) {
    super(message);
  }
}

const STATUS_OF: Partial<Record<AppError['code'], [number, string | null]>> = {
  validation_failed: [400, 'invalidValue'],
  bad_request: [400, 'invalidSyntax'],
  unauthorized: [401, null],
  forbidden: [403, null],
  not_found: [404, null],
  conflict: [409, 'uniqueness'],
};

const scimErrors: ErrorRequestHandler = (error, _req, res, _next) => {
  let status = 500;
  let scimType: string | null = null;
  let detail = 'the request could not be completed';
  if (error instanceof ScimError) [status, scimType, detail] = [error.status, error.scimType, error.message];
  else if (error instanceof AppError && STATUS_OF[error.code])
    [[status, scimType], detail] = [STATUS_OF[error.code]!, error.message];
  else if ((error as { type?: string }).type === 'entity.parse.failed')
    [status, scimType, detail] = [400, 'invalidSyntax', 'the body is not valid JSON'];
  // pino-http logs `res.err` with the request line: a bug is logged, never answered in detail.
  else res.err = error instanceof Error ? error : new Error(String(error));
  if (status === 401) res.set('WWW-Authenticate', 'Bearer realm="signalfit-scim"');
  send(res, status, {
    schemas: [ERROR_SCHEMA],
    status: String(status),
    ...(scimType ? { scimType } : {}),
    detail,
  });
};

function send(res: Response, status: number, body: unknown): void {
  res
    .status(status)
    .type(`${SCIM_MEDIA_TYPE}; charset=utf-8`)
    .set('Cache-Control', 'no-store')
    .send(JSON.stringify(body));
}

function parsed<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new ScimError(400, 'invalidValue', `${issue.path.join('.') || 'body'}: ${issue.message}`);
  }
  return result.data;
}

/** The bearer equals the token, compared in constant time (both hashed to the same length first). */
function bearerMatches(req: Request, token: string): boolean {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  if (!match) return false;
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(match[1]!), digest(token));
}

/** This service's SCIM base URL as the caller reached it (resources' meta.location). */
function baseUrl(req: Request): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}${SCIM_BASE}`;
}

function fieldsOf(body: ScimUserBody): ScimFields {
  const primaryEmail =
    body.emails?.find((email) => email.primary === true || email.primary === 'true') ?? body.emails?.[0];
  return {
    email: body.userName.includes('@') || !primaryEmail ? body.userName : primaryEmail.value,
    externalId: body.externalId || null,
    givenName: body.name?.givenName?.trim() || null,
    familyName: body.name?.familyName?.trim() || null,
    displayName: body.displayName?.trim() || body.name?.formatted?.trim() || null,
    active: body.active === undefined ? true : booleanOf(body.active),
  };
}

export function resourceOf(user: ScimUser, base: string) {
  return {
    schemas: [USER_SCHEMA],
    id: user.id,
    ...(user.externalId ? { externalId: user.externalId } : {}),
    userName: user.email,
    name: {
      ...(user.name ? { formatted: user.name } : {}),
      ...(user.givenName ? { givenName: user.givenName } : {}),
      ...(user.familyName ? { familyName: user.familyName } : {}),
    },
    ...(user.name ? { displayName: user.name } : {}),
    emails: [{ value: user.email, type: 'work', primary: true }],
    active: user.active,
    meta: {
      resourceType: 'User',
      created: user.createdAt.toISOString(),
      lastModified: user.updatedAt.toISOString(),
      location: `${base}/Users/${user.id}`,
    },
  };
}

function listOf(resources: readonly object[]) {
  return {
    schemas: [LIST_SCHEMA],
    totalResults: resources.length,
    startIndex: 1,
    itemsPerPage: resources.length,
    Resources: resources,
  };
}
