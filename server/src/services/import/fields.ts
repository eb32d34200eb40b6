import { z } from 'zod';

/**
 * Zod parsers for one CSV field of the canonical format. Input is the raw cell text (or
 * undefined when the column is absent); output is the canonical value. Blank means absent:
 * every optional field turns blank into null.
 */

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Parses ISO 8601 (date, or date and time; no zone means UTC). Returns null when not a real instant. */
export function parseIsoTimestamp(text: string): Date | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return null;
  const millis = frac ? `.${frac.slice(0, 3).padEnd(3, '0')}` : '';
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : normalizeOffset(zone);
  if (offset === null) return null;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}${millis}${offset}`);
  return Number.isNaN(date.getTime()) ? null : date;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function normalizeOffset(zone: string): string | null {
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const [, sign, hh, mm = '00'] = m;
  if (Number(hh) > 14 || Number(mm) > 59) return null;
  return `${sign}${hh}:${mm}`;
}

const blankToNull = (value: string | undefined) => {
  const trimmed = value?.trim() ?? '';
  return trimmed === '' ? null : trimmed;
};

const cell = z.string().optional();

/** A required identifier: non-blank, at most 255 characters. */
export const requiredId = cell.transform((value, ctx) => {
  const id = blankToNull(value);
  if (id === null) {
    ctx.addIssue({ code: 'custom', message: 'is required and is blank' });
    return z.NEVER;
  }
  if (id.length > 255) {
    ctx.addIssue({ code: 'custom', message: 'is longer than 255 characters' });
    return z.NEVER;
  }
  return id;
});

export const optionalText = cell.transform(blankToNull);

export const optionalLowerText = cell.transform((value) => blankToNull(value)?.toLowerCase() ?? null);

function timestamp(required: boolean) {
  return cell.transform((value, ctx) => {
    const text = blankToNull(value);
    if (text === null) {
      if (required) ctx.addIssue({ code: 'custom', message: 'is required and is blank' });
      return required ? z.NEVER : null;
    }
    const date = parseIsoTimestamp(text);
    if (!date) {
      ctx.addIssue({
        code: 'custom',
        message: `"${text}" is not an ISO 8601 date or timestamp (expected e.g. 2025-03-31 or 2025-03-31T14:05:00Z)`,
      });
      return z.NEVER;
    }
    return date;
  });
}
export const requiredTimestamp = timestamp(true) as z.ZodType<Date, string | undefined>;
export const optionalTimestamp = timestamp(false);

function number(kind: 'integer' | 'decimal') {
  return cell.transform((value, ctx) => {
    const text = blankToNull(value);
    if (text === null) return null;
    const pattern = kind === 'integer' ? /^\d+$/ : /^-?\d+(\.\d+)?$/;
    if (!pattern.test(text)) {
      const expected = kind === 'integer' ? 'a whole number ≥ 0, without separators' : 'a number like 1250000.50';
      ctx.addIssue({ code: 'custom', message: `"${text}" is not ${expected}` });
      return z.NEVER;
    }
    const parsed = Number(text);
    if (kind === 'integer' && parsed > 2_147_483_647) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is too large` });
      return z.NEVER;
    }
    return parsed;
  });
}
export const optionalInteger = number('integer');
export const optionalDecimal = number('decimal');

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

export const optionalBoolean = cell.transform((value, ctx) => {
  const text = blankToNull(value)?.toLowerCase() ?? null;
  if (text === null) return null;
  if (TRUE_WORDS.has(text)) return true;
  if (FALSE_WORDS.has(text)) return false;
  ctx.addIssue({ code: 'custom', message: `"${value}" is not a boolean (use true or false)` });
  return z.NEVER;
});

/** One of a fixed list, matched case-insensitively; returns the list's spelling. */
export function optionalChoice<T extends string>(choices: readonly T[]) {
  const byLower = new Map(choices.map((c) => [c.toLowerCase(), c]));
  return cell.transform((value, ctx): T | null => {
    const text = blankToNull(value);
    if (text === null) return null;
    const choice = byLower.get(text.toLowerCase());
    if (choice === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${text}" is not one of: ${choices.join(', ')}` });
      return z.NEVER;
    }
    return choice;
  });
}

export function requiredChoice<T extends string>(choices: readonly T[]) {
  return optionalChoice(choices).transform((value, ctx): T => {
    if (value === null) {
      ctx.addIssue({ code: 'custom', message: `is required and is blank (one of: ${choices.join(', ')})` });
      return z.NEVER;
    }
    return value;
  });
}

/** ISO 3166-1 alpha-2 country code, upper case. */
export const optionalCountry = cell.transform((value, ctx) => {
  const text = blankToNull(value);
  if (text === null) return null;
  if (!/^[A-Za-z]{2}$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not an ISO 3166 alpha-2 country code (e.g. US, DE)` });
    return z.NEVER;
  }
  return text.toUpperCase();
});

/** A loose e-mail check: real CRM data is messy, but a value with no "@" or with spaces is no address. */
export const optionalEmail = cell.transform((value, ctx) => {
  const text = blankToNull(value);
  if (text === null) return null;
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) {
    ctx.addIssue({ code: 'custom', message: `"${text}" is not an e-mail address` });
    return z.NEVER;
  }
  return text.toLowerCase();
});

/** `;`-separated list: trimmed, blanks dropped, duplicates removed (first spelling kept). */
export const technologyList = cell.transform((value) => {
  const seen = new Set<string>();
  const list: string[] = [];
  for (const part of (value ?? '').split(';')) {
    const item = part.trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    list.push(item);
  }
  return list;
});
