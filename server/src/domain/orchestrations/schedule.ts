import type { OrchestrationSchedule } from './types';
import { WEEKDAYS } from './vocabulary';

/** The hour (UTC) at which scheduled orchestrations run: daily ones every day, weekly ones on their day. */
export const SCHEDULE_HOUR_UTC = 6;

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * The first slot strictly after `after`: for `daily` the next 06:00 UTC, for `{ weekly: day }`
 * the next 06:00 UTC on that day of the week (UTC); null for `manual`, which never runs by itself.
 * A slot equal to `after` is not "after" it: the run that just took it is not due again.
 */
export function nextRunAt(schedule: OrchestrationSchedule, after: Date): Date | null {
  if (schedule === 'manual') return null;
  const today = Date.UTC(after.getUTCFullYear(), after.getUTCMonth(), after.getUTCDate(), SCHEDULE_HOUR_UTC);
  const step = schedule === 'daily' ? 1 : 7;
  const offset = schedule === 'daily' ? 0 : (WEEKDAYS.indexOf(schedule.weekly) - after.getUTCDay() + 7) % 7;
  const slot = today + offset * DAY_MS;
  return new Date(slot > after.getTime() ? slot : slot + step * DAY_MS);
}
