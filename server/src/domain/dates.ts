/** Midnight UTC of the day `date` falls on: scores and the demo market count whole UTC days. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
}
