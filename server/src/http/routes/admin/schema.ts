import { z } from 'zod';

export const runsQuery = z
  .object({
    limit: z.coerce.number().int().min(1).max(200).default(50),
    /** A run id: the page of runs older than it. */
    before: z.coerce.number().int().min(1).optional(),
    kind: z.enum(['salesforce_sync', 'salesforce_writeback', 'daily']).optional(),
  })
  .strict();
