import { z } from 'zod';

/** POST /api/embed/exchange body: the embed token Salesforce minted (README "Embed token"). */
export const exchangeBody = z.object({
  token: z.string().min(1).max(8192),
});
