import { Router } from 'express';
import { API_OPERATIONS } from './catalogue';
import { openApiDocument } from './document';

/** `GET /api/openapi.json`: the OpenAPI 3.1 document of the HTTP API, built from the routes' zod schemas. */
export function openApiRoutes(version: string): Router {
  const router = Router();
  let document: string | null = null;

  router.get('/api/openapi.json', (_req, res) => {
    // Built on first use: it does not change while the service runs.
    document ??= JSON.stringify(openApiDocument(API_OPERATIONS, version));
    res.set('Cache-Control', 'no-cache');
    res.type('application/json').send(document);
  });

  return router;
}
