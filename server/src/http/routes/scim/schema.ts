import { z } from 'zod';

/**
 * The SCIM 2.0 requests Signalfit reads (RFC 7643/7644), loose: identity providers send more
 * attributes than Signalfit keeps (emails, phone numbers, the enterprise extension…), and those
 * are ignored rather than refused.
 */
const scimBoolean = z.union([z.boolean(), z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE'])]);

export const scimUserBody = z.looseObject({
  schemas: z.array(z.string()).optional(),
  userName: z.string().trim().min(1, 'userName is required (the email the person signs in with)'),
  externalId: z.string().trim().nullish(),
  displayName: z.string().nullish(),
  name: z
    .looseObject({
      formatted: z.string().nullish(),
      givenName: z.string().nullish(),
      familyName: z.string().nullish(),
    })
    .nullish(),
  emails: z.array(z.looseObject({ value: z.string(), primary: scimBoolean.optional() })).nullish(),
  active: scimBoolean.optional(),
});
export type ScimUserBody = z.infer<typeof scimUserBody>;

export const scimPatchBody = z.looseObject({
  schemas: z.array(z.string()).optional(),
  Operations: z
    .array(
      z.looseObject({ op: z.string().min(1), path: z.string().optional(), value: z.unknown().optional() }),
    )
    .min(1, 'Operations must list at least one operation'),
});

export const scimListQuery = z.object({
  filter: z.string().max(1000).optional(),
  startIndex: z.coerce.number().int().catch(1).default(1),
  count: z.coerce.number().int().catch(100).default(100),
});

/** The filters identity providers send before creating a user: `userName eq "…"`, `externalId eq "…"`. */
export function parseScimFilter(
  filter: string,
): { attribute: 'userName' | 'externalId' | 'id'; value: string } | null {
  const match = /^\s*(userName|externalId|id)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i.exec(filter);
  if (!match) return null;
  const attribute = match[1]!.toLowerCase();
  const value = match[2]!.replace(/\\(.)/g, '$1');
  return {
    attribute: attribute === 'username' ? 'userName' : attribute === 'externalid' ? 'externalId' : 'id',
    value,
  };
}
