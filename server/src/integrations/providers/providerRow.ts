import { z } from 'zod';
import { JOB_LEVELS, type JobLevel } from '../../domain/canonical';
import { EMAIL_CONFIDENCES, type EmailConfidence } from '../../domain/orchestrations/vocabulary';
import type { ProviderContact } from '../../domain/orchestrations/types';
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

const raw = z.union([z.string(), z.number(), z.null()]).optional();

/**
 * A column whose non-blank value `read` turns into its value, or into a `{ problem }` (what is
 * wrong and how to fix it, after the column and the value). Blank gives `blank` (a problem when
 * the column is required).
 */
function column<T>(
  name: ProviderColumn,
  read: (text: string) => T | { problem: string },
  blank: { value: T } | { problem: string },
) {
  return raw.transform((value, ctx): T => {
    const text = textOf(value);
    if (text === null) {
      if ('value' in blank) return blank.value;
      ctx.addIssue({ code: 'custom', message: `${name} is blank: ${blank.problem}` });
      return z.NEVER;
    }
    const result = read(text);
    if (result !== null && typeof result === 'object' && 'problem' in result) {
      ctx.addIssue({ code: 'custom', message: `${name} ${shown(text)} ${result.problem}` });
      return z.NEVER;
    }
    return result;
  });
}

function freeText(name: ProviderColumn, max = MAX_TEXT) {
  return column<string | null>(
    name,
    (text) => (text.length > max ? { problem: `is longer than ${max} characters: shorten it` } : text),
    { value: null },
  );
}

const jobLevelByLower = new Map(JOB_LEVELS.map((level) => [level.toLowerCase(), level]));

export const providerRowSchema = z
  .object({
    provider_id: column(
      'provider_id',
      (text) => (text.length > MAX_TEXT ? { problem: `is longer than ${MAX_TEXT} characters` } : text),
      { problem: "every row needs the provider's own id of the person" },
    ),
    email: column<string | null>(
      'email',
      (text) =>
        text.length > MAX_EMAIL
          ? { problem: `is longer than ${MAX_EMAIL} characters` }
          : EMAIL.test(text)
            ? text
            : { problem: 'is not an email address: write it as name@example.com, or leave it empty' },
      { value: null },
    ),
    first_name: freeText('first_name'),
    last_name: freeText('last_name'),
    title: freeText('title'),
    job_level: column<JobLevel | null>(
      'job_level',
      (text) =>
        jobLevelByLower.get(text.toLowerCase()) ?? {
          problem: `is not a job level: use one of ${JOB_LEVELS.join(', ')}, or leave it empty`,
        },
      { value: null },
    ),
    job_function: freeText('job_function'),
    company_domain: column(
      'company_domain',
      (text) =>
        normalizeDomain(text) === null
          ? { problem: 'is not a domain: write the company web site as example.com' }
          : text,
      { problem: 'every row needs the domain of the company the person works at (example.com)' },
    ),
    country: column<string | null>('country', readCountry, { value: null }),
    email_confidence: column<EmailConfidence | null>(
      'email_confidence',
      (text) => {
        const grade = text.toUpperCase() as EmailConfidence;
        return EMAIL_CONFIDENCES.includes(grade)
          ? grade
          : {
              problem: `is not a grade: use one of ${EMAIL_CONFIDENCES.join(', ')} (A best), or leave it empty`,
            };
      },
      { value: null },
    ),
    cost: column<number>(
      'cost',
      (text) =>
        COST.test(text) && Number(text) > 0
          ? Number(text)
          : { problem: 'is not a positive number of credits like 1 or 2.5: fix it, or leave it empty for 1' },
      { value: 1 },
    ),
  })
  .transform((row): ProviderContact => ({
    providerId: row.provider_id,
    email: row.email,
    firstName: row.first_name,
    lastName: row.last_name,
    title: row.title,
    jobLevel: row.job_level,
    jobFunction: row.job_function,
    companyDomain: row.company_domain,
    country: row.country,
    emailConfidence: row.email_confidence,
    cost: row.cost,
  }));

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

/** Checks one row (by column name); the reason lists every problem of the row. */
export function checkProviderRow(cells: Partial<Record<ProviderColumn, unknown>>): RowCheck {
  const parsed = providerRowSchema.safeParse(cells);
  if (parsed.success) return { ok: true, contact: parsed.data };
  return { ok: false, reason: parsed.error.issues.map(issueText).join('; ') };
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
