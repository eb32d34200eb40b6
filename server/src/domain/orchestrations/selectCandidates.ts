import { domainAndParents, emailDomain, normalizeDomain, normalizeEmail } from './domains';
import {
  DEFAULT_MAX_PER_ACCOUNT,
  type AccountDecision,
  type OrchestrationFilters,
  type ProviderContact,
  type RowDecision,
  type SelectionAccount,
  type SelectionInput,
  type SelectionResult,
} from './types';
import { EMAIL_CONFIDENCES, RESTRICTED_COUNTRIES, type SkipReason } from './vocabulary';

/**
 * Which provider rows an orchestration buys, and why each other row is not bought.
 *
 * **Accounts and rows.** Accounts are taken in input order. An account whose domain is missing or
 * is not a host name is skipped as `no_domain`. A domain shared by several accounts belongs to the
 * first of them in input order (the others get no rows, so `no_candidates`). A provider row
 * belongs to the account whose normalized domain equals `normalizeDomain(row.companyDomain)`
 * (case, scheme, `www.`, port and path ignored); a row matching no account is not listed at all.
 *
 * **Tests.** Each row is tested in this order; the FIRST test it fails is its reason:
 * 1. `no_email`: no email, or a blank one;
 * 2. `opted_out`: its normalized email is in `optedOutEmails`, or its email's domain or a parent
 *    of it (`acme.com` for `mail.acme.com`) is in `optedOutDomains`;
 * 3. `already_in_crm`: its email is in `knownEmails`, or an earlier row of this selection has the
 *    same email (earlier: at an earlier account, or earlier in the same account's order below),
 *    so a person is considered once, at the first place it appears;
 * 4. `restricted_region`: its country is in RESTRICTED_COUNTRIES and the filters do not allow
 *    restricted regions (an unknown country is not restricted);
 * 5. `filtered_out`: the titles, then the geography, then the minimum email confidence:
 *    - titles: a row matches an entry when each condition the entry gives holds — its job level is
 *      one of `levels`, its job function equals one of `functions` (case-insensitively), its title
 *      contains one of `include` (when non-empty) and none of `exclude` (case-insensitive
 *      substrings; a missing title contains nothing). It passes when it matches any entry; no
 *      entries: every row passes;
 *    - geography: its country is in `include` (when non-empty; an unknown country is not) and not
 *      in `exclude` (codes compared upper-case);
 *    - minimum email confidence: its grade (none counts as D) is at least as good (A best);
 * 6. `cooldown`: the account was last picked less than `cooldownDays` × 24 h before `now`
 *    (`cooldownDays` > 0);
 * 7. `cap_reached`: it is beyond the first `cap` of its account's order, where
 *    cap = `filters.maxPerAccount` ?? DEFAULT_MAX_PER_ACCOUNT.
 *
 * **An account's order** (the cap, `rank`, and "earlier" in test 3), each key ascending:
 * (1) the index of the first title entry the row matches (0 without entries; rows matching none
 * last), (2) with `usePersonaMap`: the persona map's priority, no persona last, (3) email
 * confidence A, B, C, D, none, (4) with `prioritizeVisitedCountries`: the place of the row's
 * country in the account's `visitCountries`, other or unknown countries last, (5) provider id in
 * plain code-unit order. Exactly the first min(cap, candidates) rows are bought.
 *
 * **Accounts' outcome.** candidates = rows passing every test but the cap. skippedReason:
 * `no_domain`; `cooldown` when the account is in cooldown and a row passes the tests before it;
 * `no_candidates` when no row reaches the cap test; null when a row is bought.
 *
 * **Output.** `rows`: accounts in input order, each account's candidates in rank order, then its
 * other rows in provider-id order. `purchases`: the bought rows in the same order.
 *
 * Time O(n log n) for n rows: one pass over the rows, one sort per account.
 */
export function selectCandidates(input: SelectionInput): SelectionResult {
  const cap = input.filters.maxPerAccount ?? DEFAULT_MAX_PER_ACCOUNT;
  if (!Number.isInteger(cap) || cap < 1)
    throw new RangeError(`maxPerAccount must be an integer ≥ 1, not ${cap}`);
  const tests = compileFilters(input.filters);

  const owner = new Map<string, number>();
  const domains = input.accounts.map((account, index) => {
    const domain = account.domain === null ? null : normalizeDomain(account.domain);
    if (domain !== null && !owner.has(domain)) owner.set(domain, index);
    return domain;
  });
  const rowsOf = input.accounts.map((): ProviderContact[] => []);
  const domainOf = new Map<string, string | null>();
  for (const row of input.rows) {
    let domain = domainOf.get(row.companyDomain);
    if (domain === undefined) {
      domain = normalizeDomain(row.companyDomain);
      domainOf.set(row.companyDomain, domain);
    }
    const index = domain === null ? undefined : owner.get(domain);
    if (index !== undefined) rowsOf[index]!.push(row);
  }

  const claimed = new Map<string, string>(); // normalized email → provider id of its first row
  const result: SelectionResult = { purchases: [], rows: [], accounts: [] };
  input.accounts.forEach((account, index) => {
    const decision: AccountDecision = {
      accountId: account.accountId,
      name: account.name,
      domain: account.domain,
      candidates: 0,
      skippedReason: null,
    };
    result.accounts.push(decision);
    if (domains[index] === null) {
      decision.skippedReason = 'no_domain';
      return;
    }
    const decided = decideAccount(account, rowsOf[index]!, input, tests, cap, claimed);
    decision.candidates = decided.candidates;
    decision.skippedReason =
      decided.candidates > 0 ? null : decided.inCooldown ? 'cooldown' : 'no_candidates';
    for (const row of decided.rows) {
      result.rows.push(row);
      if (row.reason === null) result.purchases.push(row);
    }
  });
  return result;
}

/** A row on its way through the tests, with its keys in the account's order. */
interface Pending {
  row: ProviderContact;
  email: string;
  country: string | null;
  titleEntry: number;
  persona: number | null;
  confidence: number;
  visit: number | null;
}

interface CompiledTitle {
  levels: ReadonlySet<string> | null;
  functions: ReadonlySet<string> | null;
  include: string[] | null;
  exclude: string[];
}

interface CompiledFilters {
  titles: CompiledTitle[];
  include: ReadonlySet<string> | null;
  exclude: ReadonlySet<string>;
  minConfidence: number | null;
  allowRestricted: boolean;
  usePersonaMap: boolean;
  byVisits: boolean;
}

const RESTRICTED = new Set(RESTRICTED_COUNTRIES);
const UNGRADED = EMAIL_CONFIDENCES.length;
const DAY_MS = 24 * 60 * 60 * 1000;

function compileFilters(filters: OrchestrationFilters): CompiledFilters {
  const lower = (words: string[]) => words.map((word) => word.toLowerCase());
  const upper = (codes: string[]) => new Set(codes.map((code) => code.toUpperCase()));
  return {
    titles: (filters.titles ?? []).map((entry) => ({
      levels: entry.levels ? new Set(entry.levels) : null,
      functions: entry.functions ? new Set(lower(entry.functions)) : null,
      include: entry.include?.length ? lower(entry.include) : null,
      exclude: lower(entry.exclude ?? []),
    })),
    include: filters.geography?.include?.length ? upper(filters.geography.include) : null,
    exclude: upper(filters.geography?.exclude ?? []),
    minConfidence: filters.minEmailConfidence ? EMAIL_CONFIDENCES.indexOf(filters.minEmailConfidence) : null,
    allowRestricted: filters.allowRestrictedRegions === true,
    usePersonaMap: filters.usePersonaMap === true,
    byVisits: filters.prioritizeVisitedCountries === true,
  };
}

/** The index of the first title entry the row matches (0 without entries), or -1. */
function titleEntryOf(row: ProviderContact, titles: CompiledTitle[]): number {
  if (titles.length === 0) return 0;
  const title = row.title?.toLowerCase() ?? null;
  const fn = row.jobFunction?.toLowerCase() ?? null;
  return titles.findIndex(
    (entry) =>
      (!entry.levels || (row.jobLevel !== null && entry.levels.has(row.jobLevel))) &&
      (!entry.functions || (fn !== null && entry.functions.has(fn))) &&
      (!entry.include || (title !== null && entry.include.some((word) => title.includes(word)))) &&
      (title === null || !entry.exclude.some((word) => title.includes(word))),
  );
}

function compareKeys(a: Pending, b: Pending): number {
  const last = Number.MAX_SAFE_INTEGER;
  const titleA = a.titleEntry < 0 ? last : a.titleEntry;
  const titleB = b.titleEntry < 0 ? last : b.titleEntry;
  return (
    titleA - titleB ||
    (a.persona ?? last) - (b.persona ?? last) ||
    a.confidence - b.confidence ||
    (a.visit ?? last) - (b.visit ?? last) ||
    (a.row.providerId < b.row.providerId ? -1 : a.row.providerId > b.row.providerId ? 1 : 0)
  );
}

const byProviderId = (a: RowDecision, b: RowDecision) =>
  a.row.providerId < b.row.providerId ? -1 : a.row.providerId > b.row.providerId ? 1 : 0;

function decideAccount(
  account: SelectionAccount,
  rows: ProviderContact[],
  input: SelectionInput,
  tests: CompiledFilters,
  cap: number,
  claimed: Map<string, string>,
): { rows: RowDecision[]; candidates: number; inCooldown: boolean } {
  const skipped: RowDecision[] = [];
  const skip = (row: ProviderContact, reason: SkipReason, why: string) =>
    skipped.push({ row, accountId: account.accountId, reason, why, rank: null });

  const visits = new Map<string, number>();
  if (tests.byVisits)
    account.visitCountries.forEach((code, i) => {
      if (!visits.has(code.toUpperCase())) visits.set(code.toUpperCase(), i);
    });

  const pending: Pending[] = [];
  for (const row of rows) {
    if (row.email === null || row.email.trim() === '') {
      skip(row, 'no_email', 'no email');
      continue;
    }
    const email = normalizeEmail(row.email);
    if (input.optedOutEmails.has(email)) {
      skip(row, 'opted_out', `${email} has opted out`);
      continue;
    }
    const host = input.optedOutDomains.size > 0 ? emailDomain(email) : null;
    const domain =
      host === null ? undefined : domainAndParents(host).find((d) => input.optedOutDomains.has(d));
    if (domain !== undefined) {
      skip(row, 'opted_out', `email domain ${domain} has opted out`);
      continue;
    }
    if (input.knownEmails.has(email)) {
      skip(row, 'already_in_crm', `${email} is already a contact, a lead or a person bought before`);
      continue;
    }
    const country = row.country === null ? null : row.country.toUpperCase();
    pending.push({
      row,
      email,
      country,
      titleEntry: titleEntryOf(row, tests.titles),
      persona: tests.usePersonaMap ? input.personaPriority(row) : null,
      confidence: row.emailConfidence === null ? UNGRADED : EMAIL_CONFIDENCES.indexOf(row.emailConfidence),
      visit: tests.byVisits && country !== null ? (visits.get(country) ?? null) : null,
    });
  }
  pending.sort(compareKeys);

  const cooldown = cooldownOf(account, input);
  let inCooldown = false;
  const candidates: Pending[] = [];
  for (const item of pending) {
    const { row } = item;
    const first = claimed.get(item.email);
    if (first !== undefined) {
      skip(row, 'already_in_crm', `same email as provider row ${first}`);
      continue;
    }
    claimed.set(item.email, row.providerId);
    if (item.country !== null && RESTRICTED.has(item.country) && !tests.allowRestricted) {
      skip(row, 'restricted_region', `country ${item.country} is in a restricted region`);
      continue;
    }
    const filtered = filteredOut(item, tests, input.filters);
    if (filtered !== null) {
      skip(row, 'filtered_out', filtered);
      continue;
    }
    if (cooldown !== null) {
      inCooldown = true;
      skip(row, 'cooldown', cooldown);
      continue;
    }
    candidates.push(item);
  }

  const decided: RowDecision[] = candidates.map((item, i) => {
    const rank = i + 1;
    return rank <= cap
      ? {
          row: item.row,
          accountId: account.accountId,
          reason: null,
          why: chosenWhy(item, tests, input),
          rank,
        }
      : {
          row: item.row,
          accountId: account.accountId,
          reason: 'cap_reached',
          why: `${ordinal(rank)} at its account, cap ${cap}`,
          rank,
        };
  });
  decided.push(...skipped.sort(byProviderId));
  return { rows: decided, candidates: candidates.length, inCooldown };
}

/** Why the row is filtered out (titles, geography, email confidence), or null when it passes. */
function filteredOut(item: Pending, tests: CompiledFilters, filters: OrchestrationFilters): string | null {
  const { row, country } = item;
  if (item.titleEntry < 0) {
    const job = [row.jobLevel, row.jobFunction].filter((part) => part !== null).join(', ');
    return `${row.title === null ? 'no title' : `title "${row.title}"`}${job ? ` (${job})` : ''} matches no title entry`;
  }
  if (tests.include && (country === null || !tests.include.has(country)))
    return `country ${country ?? 'unknown'} is not in the geography's include list`;
  if (country !== null && tests.exclude.has(country))
    return `country ${country} is excluded by the geography`;
  if (tests.minConfidence !== null && Math.min(item.confidence, UNGRADED - 1) > tests.minConfidence) {
    const grade = row.emailConfidence === null ? 'none (counts as D)' : row.emailConfidence;
    return `email confidence ${grade} is below ${filters.minEmailConfidence}`;
  }
  return null;
}

/** Why the account is in cooldown, or null when it is not. */
function cooldownOf(account: SelectionAccount, input: SelectionInput): string | null {
  if (input.cooldownDays <= 0 || account.lastPickedAt === null) return null;
  const elapsed = input.now.getTime() - account.lastPickedAt.getTime();
  if (elapsed >= input.cooldownDays * DAY_MS) return null;
  const days = Math.max(0, Math.floor(elapsed / DAY_MS));
  const ago = days === 0 ? 'less than a day ago' : days === 1 ? '1 day ago' : `${days} days ago`;
  return `account picked ${ago}, cooldown ${input.cooldownDays} day${input.cooldownDays === 1 ? '' : 's'}`;
}

/** What put a bought row where it is: each key of the order that is in play. */
function chosenWhy(item: Pending, tests: CompiledFilters, input: SelectionInput): string {
  const parts: string[] = [];
  if (tests.titles.length > 0) parts.push(`title entry ${item.titleEntry + 1}`);
  if (tests.usePersonaMap) {
    const name = input.personaName?.(item.row) ?? null;
    if (item.persona === null) parts.push('no persona');
    else parts.push(`${name === null ? 'persona' : `persona "${name}"`} (priority ${item.persona + 1})`);
  }
  parts.push(`email ${item.row.emailConfidence ?? 'ungraded'}`);
  if (tests.byVisits) {
    if (item.country === null) parts.push('country unknown');
    else if (item.visit === null) parts.push(`no visits from ${item.country}`);
    else parts.push(`visited country ${item.country} (${ordinal(item.visit + 1)})`);
  }
  return parts.join('; ');
}

/** 1 → 1st, 2 → 2nd, 11 → 11th, 23 → 23rd. */
function ordinal(n: number): string {
  const teen = n % 100 >= 11 && n % 100 <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}
