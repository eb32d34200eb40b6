import { z } from 'zod';
import { MAX_PEOPLE_PER_ENROLLMENT } from '../../../services/outreach/enrollPeople';

const recordId = z
  .string()
  .min(1)
  .max(255)
  .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces');

/** Outreach ids are integers; the API takes them as JSON numbers or strings of digits. */
const outreachId = z
  .union([
    z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    z.string().regex(/^\d{1,15}$/, 'must be an Outreach id (digits)'),
  ])
  .transform(String);

export const enrollmentBody = z.strictObject({
  people: z.array(recordId).min(1).max(MAX_PEOPLE_PER_ENROLLMENT),
  sequenceId: outreachId,
  mailboxId: outreachId,
  /** Display only (the enrollment history); Outreach is not asked for it. */
  sequenceName: z.string().max(200).optional(),
});

export const idempotencyHeaders = z.object({
  'idempotency-key': z
    .string()
    .min(1)
    .max(200)
    .regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces')
    .optional(),
});

export const historyQuery = z.strictObject({ personId: recordId });

export const sequencesQuery = z.strictObject({ search: z.string().max(200).optional() });

export const connectQuery = z.object({ ticket: z.string().min(1).max(200) });

export const callbackQuery = z.object({
  code: z.string().min(1).max(2000).optional(),
  state: z.string().min(1).max(200).optional(),
  error: z.string().max(200).optional(),
  error_description: z.string().max(1000).optional(),
});
