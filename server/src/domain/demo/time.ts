/** Time helpers of the demo market. Times are epoch milliseconds (UTC) until rows are built. */

export const DAY_MS = 86_400_000;

/** The generated history: [startMs, endMs). Every activity and opportunity falls inside it. */
export interface MarketWindow {
  readonly startMs: number;
  readonly endMs: number;
}

/** The window that ends at `endDate` (exclusive) and starts `months` calendar months earlier (UTC). */
export function marketWindow(endDate: Date, months: number): MarketWindow {
  const endMs = endDate.getTime();
  if (!Number.isFinite(endMs)) throw new Error('endDate must be a valid date');
  if (!Number.isInteger(months) || months < 1 || months > 120)
    throw new Error(`months must be an integer in 1…120, got ${months}`);
  const start = new Date(endMs);
  start.setUTCMonth(start.getUTCMonth() - months);
  return { startMs: start.getTime(), endMs };
}

/** 0 = Sunday … 6 = Saturday (1970-01-01 was a Thursday). */
export function dayOfWeek(timeMs: number): number {
  return (((Math.floor(timeMs / DAY_MS) + 4) % 7) + 7) % 7;
}

export function isWeekend(timeMs: number): boolean {
  const day = dayOfWeek(timeMs);
  return day === 0 || day === 6;
}
