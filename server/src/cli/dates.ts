import { AppError } from '../errors';
import { parseIsoTimestamp } from '../services/import/fields';

/** A day option (`--as-of`, `--end-date`): YYYY-MM-DD, a real calendar day, as UTC midnight. */
export function parseDayOption(option: string, text: string): Date {
  const date = /^\d{4}-\d{2}-\d{2}$/.test(text) ? parseIsoTimestamp(text) : null;
  if (!date) throw new AppError('bad_request', `${option} must be a date like 2026-01-31 (got "${text}")`);
  return date;
}
