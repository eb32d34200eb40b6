import { z } from 'zod';
import { RECORD_OBJECTS } from '../../auth/embedToken';
import { errorAnswer, type ApiOperation } from '../openapi/operation';

/** POST /api/embed/exchange body: the embed token Salesforce minted (docs/http-api.md "Embed token"). */
export const exchangeBody = z.object({
  token: z.string().min(1).max(8192),
});

/** The signed-in user in an access-token answer. */
export const exchangeResponse = z.strictObject({
  accessToken: z.string(),
  expiresIn: z.number().int().positive(),
  user: z.strictObject({
    id: z.string(),
    orgId: z.string(),
    name: z.string(),
    email: z.string().nullable(),
    perms: z.array(z.string()),
  }),
  record: z
    .strictObject({
      id: z.string(),
      objectApiName: z.enum(RECORD_OBJECTS),
      accountId: z.string().nullable(),
      known: z.boolean(),
    })
    .nullable(),
});

const TOKEN_REFUSAL =
  'the embed token is refused, each reason with its code: `token_malformed`, `token_invalid_signature`, `token_expired`, `token_wrong_audience`, `token_wrong_issuer`, `token_lifetime_too_long`, `token_replayed`';

export const embedOperations: ApiOperation[] = [
  {
    method: 'post',
    path: '/api/embed/exchange',
    tag: 'session',
    summary: "A verified, unused embed token becomes an access token (the panel's sign-in)",
    auth: 'none',
    body: exchangeBody,
    responses: {
      200: { description: 'the access token, the user and the record', schema: exchangeResponse },
      400: errorAnswer('the body has no token (`validation_failed`) or is not JSON (`bad_request`)'),
      401: errorAnswer(TOKEN_REFUSAL),
      503: errorAnswer('no embed key is configured (`embed_not_configured`)'),
    },
  },
];
