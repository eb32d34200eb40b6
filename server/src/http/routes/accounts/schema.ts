import { z } from 'zod';

/** A record id in a path: a canonical id or a Salesforce 15- or 18-character id. */
export const recordIdParams = z.object({
  id: z
    .string()
    .min(1)
    .max(255)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces'),
});
