import { z } from 'zod';
import { errorBody, type ApiOperation, type ApiResponse } from './operation';

type JsonSchema = Record<string, unknown>;

/**
 * A zod schema as JSON Schema 2020-12 (the dialect of OpenAPI 3.1): requests as clients write
 * them (`input`: before defaults and transforms), answers as the service sends them (`output`).
 * Parts JSON Schema cannot say (a transform's result) are left open.
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: 'draft-2020-12',
    io,
    unrepresentable: 'any',
  }) as JsonSchema;
  return rest;
}

/** `/api/people/:id` → `/api/people/{id}`. */
export function openApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

const ERROR_REF = { $ref: '#/components/schemas/Error' };

function parameters(schema: z.ZodType | undefined, where: 'path' | 'query' | 'header') {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input') as {
    properties?: Record<string, JsonSchema>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => ({
    name,
    in: where,
    required: where === 'path' || (object.required ?? []).includes(name),
    schema: property,
  }));
}

function response(answer: ApiResponse) {
  if ('schema' in answer)
    return {
      description: answer.description,
      content: { 'application/json': { schema: jsonSchema(answer.schema, 'output') } },
    };
  if ('error' in answer)
    return { description: answer.description, content: { 'application/json': { schema: ERROR_REF } } };
  if ('empty' in answer) return { description: answer.description };
  if ('redirect' in answer)
    return { description: answer.description, headers: { Location: { schema: { type: 'string' } } } };
  return { description: answer.description, content: { [answer.mediaType]: { schema: { type: 'string' } } } };
}

/** The OpenAPI 3.1 document of `operations` (GET /api/openapi.json). */
export function openApiDocument(operations: readonly ApiOperation[], version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    const path = (paths[openApiPath(op.path)] ??= {});
    path[op.method] = {
      operationId: `${op.method}${op.path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      security: op.auth === 'bearer' ? [{ bearerAuth: [] }] : [],
      parameters: [
        ...parameters(op.params, 'path'),
        ...parameters(op.query, 'query'),
        ...parameters(op.headers, 'header'),
      ],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { 'application/json': { schema: jsonSchema(op.body, 'input') } },
            },
          }
        : {}),
      ...(op.rawBody
        ? {
            requestBody: {
              required: true,
              description: op.rawBody.description,
              content: { [op.rawBody.mediaType]: { schema: { type: 'string' } } },
            },
          }
        : {}),
      responses: Object.fromEntries(
        Object.entries(op.responses).map(([status, answer]) => [status, response(answer)]),
      ),
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Signalfit HTTP API',
      version,
      description:
        'Account intelligence for Salesforce. Every error answer is `{ "error": { "code", "message", "details"? } }` with a stable snake_case code.',
      license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
    },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths,
    components: {
      schemas: { Error: jsonSchema(errorBody, 'output') },
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          description:
            'The access token of POST /api/embed/exchange (the Salesforce panel) or of a standalone-app sign-in, or an API key (`sfk_…`, docs/users-and-keys.md).',
        },
      },
    },
  };
}
