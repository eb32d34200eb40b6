/**
 * Five-field cron expressions (minute hour day-of-month month day-of-week, in UTC): numbers,
 * `*`, lists `a,b`, ranges `a-b` and steps `*\/n` or `a-b/n`. When both day fields are
 * restricted, a day matches either (the classic cron rule). Day of week 0 or 7 is Sunday.
 */
export interface CronSchedule {
  expression: string;
  /** The first matching minute strictly after `after`. */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

export function parseCron(expression: string): CronSchedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5) throw new Error(`"${expression}" is not a cron expression of 5 fields`);
  const sets = parts.map((part, i) => parseField(part, FIELDS[i]!));
  const [minutes, hours, days, months, weekdays] = sets as [
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
    Set<number>,
  ];
  if (weekdays.has(7)) weekdays.add(0);
  const anyDay = parts[2] === '*';
  const anyWeekday = parts[4] === '*';
  const dayMatches = (date: Date) => {
    const byDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    if (anyDay) return byWeekday;
    if (anyWeekday) return byDay;
    return byDay || byWeekday;
  };
  return {
    expression,
    next(after) {
      const t = new Date(Math.floor(after.getTime() / 60_000) * 60_000 + 60_000);
      // Four years of minutes bound the search (29 February needs a leap year).
      for (let guard = 0; guard < 4 * 366 * 24 * 60;) {
        if (!months.has(t.getUTCMonth() + 1) || !dayMatches(t)) {
          t.setUTCHours(0, 0, 0, 0);
          t.setUTCDate(t.getUTCDate() + 1);
          guard += 24 * 60;
          continue;
        }
        if (!hours.has(t.getUTCHours())) {
          t.setUTCMinutes(0, 0, 0);
          t.setUTCHours(t.getUTCHours() + 1);
          guard += 60;
          continue;
        }
        if (minutes.has(t.getUTCMinutes())) return new Date(t);
        t.setUTCMinutes(t.getUTCMinutes() + 1);
        guard += 1;
      }
      throw new Error(`cron expression "${expression}" never matches`);
    },
  };
}

function parseField(part: string, field: (typeof FIELDS)[number]): Set<number> {
  const values = new Set<number>();
  for (const item of part.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!m) throw new Error(`cron ${field.name} "${item}" is not a number, range, list or step`);
    const from = m[1] === '*' ? field.min : Number(m[2]);
    const to = m[1] === '*' ? field.max : m[3] !== undefined ? Number(m[3]) : m[4] ? field.max : from;
    const step = m[4] ? Number(m[4]) : 1;
    if (from < field.min || to > field.max || from > to || step < 1)
      throw new Error(`cron ${field.name} "${item}" is outside ${field.min}-${field.max}`);
    for (let v = from; v <= to; v += step) values.add(v);
  }
  return values;
}
