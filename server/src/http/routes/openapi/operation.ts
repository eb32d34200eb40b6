import { z } from 'zod';
import { ERROR_CODES } from '../../../errors';

/**
 * One documented HTTP operation: the zod schemas its handler parses the request with, and the
 * answers it gives. Each route folder lists its operations beside its schemas; the OpenAPI
 * document (GET /api/openapi.json) is built from them, and a test checks that every /api route
 * of the app is listed and that real answers match.
 */
export interface ApiOperation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  /** The Express path, e.g. `/api/people/:id`. */
  path: string;
  summary: string;
  description?: string;
  tag: string;
  /** `bearer`: the access token of POST /api/embed/exchange or POST /api/session/demo. */
  auth: 'bearer' | 'none';
  params?: z.ZodObject;
  query?: z.ZodType;
  headers?: z.ZodObject;
  body?: z.ZodType;
  /** A body that is not JSON (a CSV upload): its media type; `body` then is not given. */
  rawBody?: { mediaType: string; description: string };
  /** Answers by status. A JSON answer has a `schema`; others name their media type. */
  responses: Record<number, ApiResponse>;
}

export type ApiResponse =
  | { description: string; schema: z.ZodType }
  | { description: string; mediaType: string }
  | { description: string; error: true }
  | { description: string; redirect: true }
  | { description: string; empty: true };

/** Every error answer: `{ "error": { "code", "message", "details"? } }`. */
export const errorBody = z.strictObject({
  error: z.strictObject({
    code: z.enum(ERROR_CODES),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});

export const errorAnswer = (description: string): ApiResponse => ({ description, error: true });

/** The refusals every bearer route shares. */
export const BEARER_ERRORS: Record<number, ApiResponse> = {
  401: errorAnswer(
    'no access token or API key, or an expired or invalid token, an ended sign-in session, or a revoked key or one whose owner is deactivated (`unauthorized`, `access_token_expired`)',
  ),
};

/** An ISO 8601 instant in UTC, as every answer writes times. */
export const isoInstant = z.iso.datetime({ offset: false });
/** A day, YYYY-MM-DD. */
export const isoDay = z.iso.date();
