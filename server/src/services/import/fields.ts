import { z } from 'zod';
import { copyCsvField } from './csvRows';

/**
 * One CSV field of the canonical format: a zod check of the raw cell (undefined when the column
 * is absent; no check for free text), its canonical value, and what the import stages for it.
 * Blank means absent: every optional field turns blank into null.
 *
 * The import validates millions of rows on one core, so each field also carries `copy`: the same
 * rule as its zod check, built from the same predicate, fused with staging into one plain
 * function (no zod run, no object per cell). Rows that pass go straight to COPY; a row that
 * fails is checked with zod, whose message becomes the reject's reason. Staging starts from the
 * cell's text: PostgreSQL parses the validated timestamp itself (in UTC) instead of the import
 * building a Date per cell and printing it again.
 */
export interface Field<T> {
  check: z.ZodType<string | undefined> | null;
  convert(raw: string | undefined): T;
  /** The cell as one COPY CSV field ('' for NULL), or null when it breaks the field's rule. */
  copy(raw: string | undefined): string | null;
}

const ISO_DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

interface IsoParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millis: number;
  /** Minutes east of UTC. */
  offset: number;
}

/** The parts of an ISO 8601 date or timestamp, or null when it is not a real instant (2025-02-30, 24:00, +15:00). */
function isoParts(text: string): IsoParts | null {
  const m = ISO_DATE_TIME.exec(text);
  if (!m) return null;
  const parts = {
    year: Number(m[1]),
    month: Number(m[2]),
    day: Number(m[3]),
    hour: Number(m[4] ?? 0),
    minute: Number(m[5] ?? 0),
    second: Number(m[6] ?? 0),
    millis: m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0,
    offset: zoneOffsetMinutes(m[8]),
  };
  const { year, month, day, hour, minute, second, offset } = parts;
  const valid =
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysInMonth(year, month) &&
    hour <= 23 &&
    minute <= 59 &&
    second <= 59;
  return valid && offset !== null ? (parts as IsoParts) : null;
}

/**
 * Whether the text is an ISO 8601 date or timestamp of a real instant: the same answer as
 * `isoParts(text) !== null`, read character by character (the import's hot check: no match
 * array, substrings or Date per cell).
 */
export function isIsoTimestamp(text: string): boolean {
  const length = text.length;
  if (length < 10 || text.charCodeAt(4) !== DASH || text.charCodeAt(7) !== DASH) return false;
  const century = twoDigits(text, 0);
  const yearInCentury = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || yearInCentury < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day > daysInMonth(century * 100 + yearInCentury, month)) return false;
  if (length === 10) return true;

  const separator = text.charCodeAt(10);
  if (separator !== UPPER_T && separator !== LOWER_T && separator !== SPACE) return false;
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  if (text.charCodeAt(13) !== COLON || hour < 0 || hour > 23 || minute < 0 || minute > 59) return false;
  let at = 16;
  if (text.charCodeAt(at) === COLON) {
    const second = twoDigits(text, at + 1);
    if (second < 0 || second > 59) return false;
    at += 3;
    if (text.charCodeAt(at) === DOT) {
      const fractionStart = at + 1;
      at = fractionStart;
      while (isDigit(text.charCodeAt(at))) at += 1;
      if (at === fractionStart || at - fractionStart > 9) return false;
    }
  }
  if (at === length) return true;

  // The zone: Z, or ±hh, ±hhmm or ±hh:mm up to 14 hours and 59 minutes.
  const sign = text.charCodeAt(at);
  if (sign === UPPER_Z || sign === LOWER_Z) return at + 1 === length;
  if (sign !== PLUS && sign !== DASH) return false;
  const zoneHours = twoDigits(text, at + 1);
  if (zoneHours < 0 || zoneHours > 14) return false;
  at += 3;
  if (at === length) return true;
  if (text.charCodeAt(at) === COLON) at += 1;
  const zoneMinutes = twoDigits(text, at);
  return zoneMinutes >= 0 && zoneMinutes <= 59 && at + 2 === length;
}

const [DASH, COLON, DOT, PLUS, SPACE] = ['-', ':', '.', '+', ' '].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];
const [UPPER_T, LOWER_T, UPPER_Z, LOWER_Z] = ['T', 't', 'Z', 'z'].map((c) => c.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
];

/** An ASCII digit (NaN, past the end of the text, is none). */
function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** The number of the two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const tens = text.charCodeAt(at);
  const ones = text.charCodeAt(at + 1);
  return isDigit(tens) && isDigit(ones) ? (tens - 48) * 10 + (ones - 48) : -1;
}

/** Parses ISO 8601 (date, or date and time; no zone means UTC); null when not a real instant. */
export function parseIsoTimestamp(text: string): Date | null {
  const p = isoParts(text);
  if (!p) return null;
  return new Date(
    Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second, p.millis) - p.offset * 60_000,
  );
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Minutes east of UTC for `Z`, `+hh`, `+hhmm` or `+hh:mm`; null when out of range. */
function zoneOffsetMinutes(zone: string | undefined): number | null {
  if (zone === undefined || zone === 'Z' || zone === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(zone);
  if (!m) return null;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return null;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** The trimmed cell, or null when it is absent or blank. */
export function blankToNull(value: string | undefined): string | null {
  if (value === undefined) return null;
  const trimmed = value.trim();
  return trimmed === '' ? null : trimmed;
}

const cell = z.string().optional();
const shown = (input: unknown) => `"${String(input).trim()}"`;

/**
 * A field that accepts a blank cell and checks a non-blank one with `isValid` (null: any text).
 * `stage` turns the checked, trimmed text into what PostgreSQL stores; by default the same as
 * `convert`, as text. The zod check and `copy` both apply `isValid`, so they cannot disagree.
 */
function optionalField<T>(
  isValid: ((text: string) => boolean) | null,
  problem: string,
  convert: (text: string) => T,
  stage: (text: string) => string = (text) => String(convert(text)),
): Field<T | null> {
  return {
    check: isValid
      ? cell.refine(
          (raw) => {
            const text = blankToNull(raw);
            return text === null || isValid(text);
          },
          { error: (issue) => `${shown(issue.input)} ${problem}` },
        )
      : null,
    convert: (raw) => {
      const text = blankToNull(raw);
      return text === null ? null : convert(text);
    },
    copy: (raw) => {
      const text = blankToNull(raw);
      if (text === null) return '';
      return isValid === null || isValid(text) ? copyCsvField(stage(text)) : null;
    },
  };
}

/** The same field, but a blank cell is an error. */
function required<T>(field: Field<T | null>, hint = ''): Field<T> {
  const present = cell.refine((raw) => blankToNull(raw) !== null, {
    error: `is required and is blank${hint}`,
    abort: true,
  });
  return {
    check: field.check
      ? present.pipe(field.check as z.ZodType<string | undefined, string | undefined>)
      : present,
    convert: (raw) => field.convert(raw) as T,
    // '' is what a blank cell copies as (NULL): any value copies as at least one character.
    copy: (raw) => {
      const copied = field.copy(raw);
      return copied === '' ? null : copied;
    },
  };
}

const asIs = (text: string) => text;

export const optionalText: Field<string | null> = optionalField(null, '', asIs);
export const optionalLowerText: Field<string | null> = optionalField(null, '', (text) => text.toLowerCase());

/** A required identifier: non-blank (its length limit is in the import's table of limits). */
export const requiredId: Field<string> = required(optionalText);

/**
 * The same field, refusing a cell longer than `max` characters once trimmed: checked before the
 * field's own rules, and the reason gives the length, not the (long) value.
 */
export function limited<T>(field: Field<T>, max: number): Field<T> {
  // Trimming can only shorten: a cell within the limit as it is needs no trimmed copy.
  const fits = (raw: string | undefined) =>
    raw === undefined || raw.length <= max || raw.trim().length <= max;
  const withinLimit = cell.refine(fits, {
    error: (issue) =>
      `is ${String(issue.input).trim().length.toLocaleString('en-US')} characters long, ` +
      `more than the ${max.toLocaleString('en-US')} allowed`,
    abort: true,
  });
  return {
    check: field.check
      ? withinLimit.pipe(field.check as z.ZodType<string | undefined, string | undefined>)
      : withinLimit,
    convert: field.convert,
    copy: (raw) => (fits(raw) ? field.copy(raw) : null),
  };
}

export const optionalTimestamp: Field<Date | null> = optionalField(
  isIsoTimestamp,
  'is not an ISO 8601 date or timestamp (expected e.g. 2025-03-31 or 2025-03-31T14:05:00Z)',
  (text) => parseIsoTimestamp(text)!,
  asIs, // the import's session runs in UTC, so a zone-less value means UTC there too
);
export const requiredTimestamp: Field<Date> = required(optionalTimestamp);

export const optionalInteger: Field<number | null> = optionalField(
  (text) => /^\d{1,10}$/.test(text) && Number(text) <= 2_147_483_647,
  'is not a whole number ≥ 0 without separators (e.g. 1200)',
  Number,
  asIs,
);

export const optionalDecimal: Field<number | null> = optionalField(
  (text) => /^-?\d{1,20}(\.\d+)?$/.test(text),
  'is not a number like 1250000.50 (no separators or currency signs)',
  Number,
  asIs, // staged as written: no binary floating point between the file and numeric
);

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

export const optionalBoolean: Field<boolean | null> = optionalField(
  (text) => TRUE_WORDS.has(text.toLowerCase()) || FALSE_WORDS.has(text.toLowerCase()),
  'is not a boolean (use true or false)',
  (text) => TRUE_WORDS.has(text.toLowerCase()),
  (text) => (TRUE_WORDS.has(text.toLowerCase()) ? 't' : 'f'),
);

/** One of a fixed list, matched case-insensitively; converts to the list's spelling. */
export function optionalChoice<T extends string>(choices: readonly T[]): Field<T | null> {
  const byLower = new Map(choices.map((c) => [c.toLowerCase(), c]));
  // The keys are lower case: text found as it is needs no lower-case copy (the usual case).
  const choice = (text: string) => byLower.get(text) ?? byLower.get(text.toLowerCase());
  return optionalField(
    (text) => choice(text) !== undefined,
    `is not one of: ${choices.join(', ')}`,
    (text) => choice(text)!,
  );
}

export function requiredChoice<T extends string>(choices: readonly T[]): Field<T> {
  return required(optionalChoice(choices), ` (one of: ${choices.join(', ')})`);
}

/** A field whose blank cell takes a default instead of null. */
export function withDefault<T>(field: Field<T | null>, fallback: T, stagedFallback: string): Field<T> {
  const copiedFallback = copyCsvField(stagedFallback);
  return {
    check: field.check,
    convert: (raw) => field.convert(raw) ?? fallback,
    copy: (raw) => {
      const copied = field.copy(raw);
      return copied === '' ? copiedFallback : copied;
    },
  };
}

/** The same field with its value in lower case. */
export function lowerCased(field: Field<string>): Field<string> {
  return {
    check: field.check,
    convert: (raw) => field.convert(raw).toLowerCase(),
    // Lower-casing the copied field equals copying the lower-cased value: quoting is about
    // quotes, commas and line breaks, which have no case.
    copy: (raw) => field.copy(raw)?.toLowerCase() ?? null,
  };
}

/** ISO 3166-1 alpha-2 country code, upper case. */
export const optionalCountry: Field<string | null> = optionalField(
  (text) => /^[A-Za-z]{2}$/.test(text),
  'is not an ISO 3166 alpha-2 country code (e.g. US, DE)',
  (text) => text.toUpperCase(),
);

/** A loose e-mail check: real CRM data is messy, but a value with no "@" or with spaces is no address. */
export const optionalEmail: Field<string | null> = optionalField(
  (text) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text),
  'is not an e-mail address',
  (text) => text.toLowerCase(),
);

function splitList(raw: string | undefined): string[] {
  const seen = new Set<string>();
  const list: string[] = [];
  for (const part of (raw ?? '').split(';')) {
    const item = part.trim();
    if (item === '' || seen.has(item.toLowerCase())) continue;
    seen.add(item.toLowerCase());
    list.push(item);
  }
  return list;
}

/** `;`-separated list: trimmed, blanks dropped, duplicates removed (first spelling kept). */
export const technologyList: Field<string[]> = {
  check: null,
  convert: splitList,
  // A PostgreSQL array literal, each item quoted.
  copy: (raw) =>
    copyCsvField(
      `{${splitList(raw)
        .map((item) => `"${item.replace(/[\\"]/g, '\\$&')}"`)
        .join(',')}}`,
    ),
};

export type RowRejection = { ok: false; column: string | null; reason: string };
export type RowParse = { ok: true; row: Record<string, unknown> } | RowRejection;

export interface RowParser {
  /** The canonical row of valid cells. */
  parse(cells: Record<string, string | undefined>): RowParse;
  /**
   * What the import stages for a row of a file: one COPY CSV line (no line break), a field per
   * field in field order, or why the row is rejected. `cells` are the file's cells; `columnIndex`
   * gives, per field, the index of its column among them (-1: the file lacks the column).
   */
  stage(cells: readonly string[], columnIndex: readonly number[]): string | RowRejection;
}

/**
 * Builds the parser of one row. `parse` checks every field that has rules with zod, at once, then
 * converts each cell. `stage` is the import's hot path: each field's `copy` checks and stages its
 * cell; only a row that fails goes through zod, which says why.
 */
export function rowParser(fields: Record<string, Field<unknown>>): RowParser {
  const entries = Object.entries(fields);
  const names = entries.map(([name]) => name);
  const copies = entries.map(([, field]) => field.copy);
  const schema = z.object(
    Object.fromEntries(entries.flatMap(([name, field]) => (field.check ? [[name, field.check]] : []))),
  );
  const check = (cells: Record<string, string | undefined>): RowRejection | null => {
    const checked = schema.safeParse(cells);
    if (checked.success) return null;
    const issue = checked.error.issues[0];
    const column = typeof issue?.path[0] === 'string' ? issue.path[0] : null;
    const message = issue?.message ?? 'is invalid';
    return { ok: false, column, reason: column ? `${column} ${message}` : message };
  };
  const reject = (cells: readonly string[], columnIndex: readonly number[], failed: number): RowRejection => {
    const byName: Record<string, string | undefined> = {};
    names.forEach((name, i) => {
      const at = columnIndex[i]!;
      byName[name] = at >= 0 ? cells[at] : undefined;
    });
    // Both apply the same predicates, so zod finds the same first fault; were it ever to pass
    // the row, the row is still refused rather than loaded unchecked.
    return check(byName) ?? { ok: false, column: names[failed]!, reason: `${names[failed]} is invalid` };
  };
  // One array for every row, joined into a flat string: `+=` would leave a tree of pieces for
  // the garbage collector to trace until the batch is sent.
  const parts = new Array<string>(entries.length).fill('');
  return {
    parse(cells) {
      const rejection = check(cells);
      if (rejection) return rejection;
      const row: Record<string, unknown> = {};
      for (const [name, field] of entries) row[name] = field.convert(cells[name]);
      return { ok: true, row };
    },
    stage(cells, columnIndex) {
      for (let i = 0; i < copies.length; i++) {
        const at = columnIndex[i]!;
        const copied = copies[i]!(at >= 0 ? cells[at] : undefined);
        if (copied === null) return reject(cells, columnIndex, i);
        parts[i] = copied;
      }
      return parts.join(',');
    },
  };
}
