import { z } from 'zod';
import { JOB_LEVELS, type JobLevel } from '../../domain/canonical';
import type { ProviderContact } from '../../domain/orchestrations/types';
import { EMAIL_CONFIDENCES, type EmailConfidence } from '../../domain/orchestrations/vocabulary';
import { normalizeDomain } from '../../domain/orchestrations/domains';
import { isCountryCode, toCountryCode } from '../salesforce/countries';

/**
 * One person as a provider gives it (a row of `provider_contacts.csv`, or an element of the HTTP
 * provider's answers: docs/providers.md), checked with zod into a ProviderContact. The same
 * schema reads both: cells are text in a file, JSON values (text, numbers, null) in an answer.
 * Blank means absent. Every message names the column and the value and says how to fix it.
 */
export const PROVIDER_COLUMNS = [
  'provider_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'job_level',
  'job_function',
  'company_domain',
  'country',
  'email_confidence',
  'cost',
] as const;
export type ProviderColumn = (typeof PROVIDER_COLUMNS)[number];

/** The columns a file must have (the others may be absent: every row is then blank there). */
export const REQUIRED_PROVIDER_COLUMNS: readonly ProviderColumn[] = ['provider_id', 'company_domain'];

/** The longest text a value may hold: what the app shows and an index entry may hold. */
const MAX_TEXT = 255;
const MAX_EMAIL = 254; // the longest address SMTP carries

/** A loose check, as the import's: real vendor data is messy, but no "@" or a space is no address. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const COST = /^\d{1,12}(\.\d{1,6})?$/;

/** The value as trimmed text, or null when absent or blank. */
function textOf(value: string | number | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const text = String(value).trim();
  return text === '' ? null : text;
}

const shown = (text: string) => JSON.stringify(text.length > 60 ? `${text.slice(0, 60)}…` : text);

/**
 * How one column reads: `read` turns a non-blank value into its value or into a `{ problem }`
 * (what is wrong and how to fix it, said after the column and the value); `blank` is the value
 * of a blank cell, or the problem when the column is required.
 */
interface ColumnRule<T> {
  read: (text: string) => T | { problem: string };
  blank: { value: T } | { problem: string };
}

function freeText(max = MAX_TEXT): ColumnRule<string | null> {
  return {
    read: (text) => (text.length > max ? { problem: `is longer than ${max} characters: shorten it` } : text),
    blank: { value: null },
  };
}

const jobLevelByLower = new Map(JOB_LEVELS.map((level) => [level.toLowerCase(), level]));

const RULES: { [C in ProviderColumn]: ColumnRule<unknown> } = {
  provider_id: {
    read: (text) => (text.length > MAX_TEXT ? { problem: `is longer than ${MAX_TEXT} characters` } : text),
    blank: { problem: "every row needs the provider's own id of the person" },
  },
  email: {
    read: (text) =>
      text.length > MAX_EMAIL
        ? { problem: `is longer than ${MAX_EMAIL} characters` }
        : EMAIL.test(text)
          ? text
          : { problem: 'is not an email address: write it as name@example.com, or leave it empty' },
    blank: { value: null },
  },
  first_name: freeText(),
  last_name: freeText(),
  title: freeText(),
  job_level: {
    read: (text) =>
      jobLevelByLower.get(text.toLowerCase()) ?? {
        problem: `is not a job level: use one of ${JOB_LEVELS.join(', ')}, or leave it empty`,
      },
    blank: { value: null },
  },
  job_function: freeText(),
  company_domain: {
    read: (text) =>
      normalizeDomain(text) === null
        ? { problem: 'is not a domain: write the company web site as example.com' }
        : text,
    blank: { problem: 'every row needs the domain of the company the person works at (example.com)' },
  },
  country: { read: readCountry, blank: { value: null } },
  email_confidence: {
    read: (text) => {
      const grade = text.toUpperCase() as EmailConfidence;
      return EMAIL_CONFIDENCES.includes(grade)
        ? grade
        : {
            problem: `is not a grade: use one of ${EMAIL_CONFIDENCES.join(', ')} (A best), or leave it empty`,
          };
    },
    blank: { value: null },
  },
  cost: {
    read: (text) =>
      COST.test(text) && Number(text) > 0
        ? Number(text)
        : { problem: 'is not a positive number of credits like 1 or 2.5: fix it, or leave it empty for 1' },
    blank: { value: 1 },
  },
};

const isProblem = (value: unknown): value is { problem: string } =>
  value !== null && typeof value === 'object' && 'problem' in value;

/**
 * The shape of a row in an HTTP answer: each column text, a number, null or absent (checked with
 * zod at that edge); the values are then read by the same rules as a file's cells.
 */
const raw = z.union([z.string(), z.number(), z.null()]).optional();
export const providerRowShape = z.object(
  Object.fromEntries(PROVIDER_COLUMNS.map((name) => [name, raw])) as Record<ProviderColumn, typeof raw>,
);

/**
 * Reads a row whose values have the right JSON types (a file's cells always do) by the column
 * rules: the contact, or every problem of the row. Plain code rather than a schema per cell: a
 * vendor's export has hundreds of thousands of rows, read on every preview's first search.
 */
function readRow(cells: Partial<Record<ProviderColumn, string | number | null | undefined>>): RowCheck {
  const values: Partial<Record<ProviderColumn, unknown>> = {};
  let problems: string[] | null = null;
  for (const name of PROVIDER_COLUMNS) {
    const rule = RULES[name];
    const text = textOf(cells[name]);
    if (text === null) {
      if ('value' in rule.blank) values[name] = rule.blank.value;
      else (problems ??= []).push(`${name} is blank: ${rule.blank.problem}`);
      continue;
    }
    const value = rule.read(text);
    if (isProblem(value)) (problems ??= []).push(`${name} ${shown(text)} ${value.problem}`);
    else values[name] = value;
  }
  if (problems) return { ok: false, reason: problems.join('; ') };
  return {
    ok: true,
    contact: {
      providerId: values.provider_id as string,
      email: values.email as string | null,
      firstName: values.first_name as string | null,
      lastName: values.last_name as string | null,
      title: values.title as string | null,
      jobLevel: values.job_level as JobLevel | null,
      jobFunction: values.job_function as string | null,
      companyDomain: values.company_domain as string,
      country: values.country as string | null,
      emailConfidence: values.email_confidence as EmailConfidence | null,
      cost: values.cost as number,
    },
  };
}

/** An ISO 3166 alpha-2 code (any case); a country's name or `UK` is refused with its code as the fix. */
function readCountry(text: string): string | { problem: string } {
  const code = text.toUpperCase();
  if (/^[A-Z]{2}$/.test(code) && code !== 'UK' && isCountryCode(code)) return code;
  const meant = toCountryCode(text);
  return {
    problem: meant
      ? `is not an ISO 3166 alpha-2 country code: write ${meant}`
      : 'is not an ISO 3166 alpha-2 country code (e.g. US, DE): fix it, or leave it empty',
  };
}

export type RowCheck = { ok: true; contact: ProviderContact } | { ok: false; reason: string };

/** Checks one row (by column name): its values' JSON types, then each column's rule; the reason lists every problem. */
export function checkProviderRow(cells: Partial<Record<ProviderColumn, unknown>>): RowCheck {
  const shape = providerRowShape.safeParse(cells);
  if (!shape.success) return { ok: false, reason: shape.error.issues.map(issueText).join('; ') };
  return readRow(shape.data);
}

/** A file's row: every cell is text, so only the column rules apply. */
export function checkProviderCells(cells: Partial<Record<ProviderColumn, string>>): RowCheck {
  return readRow(cells);
}

/** A custom issue carries its own words; any other (a value of the wrong JSON type) names its column. */
function issueText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'custom') return issue.message;
  const where = issue.path.join('.');
  return `${where || 'the row'}: ${issue.message} (expected text, a number or null)`;
}

/** The normalized company domain of a checked row (checked rows always have one). */
export function contactDomain(contact: ProviderContact): string {
  return normalizeDomain(contact.companyDomain)!;
}
