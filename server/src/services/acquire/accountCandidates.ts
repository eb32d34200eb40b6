import { normalizeDomain } from '../../domain/orchestrations/domains';
import { selectCandidates } from '../../domain/orchestrations/selectCandidates';
import type {
  ProviderContact,
  RowDecision,
  SelectionResult,
  TitleFilter,
} from '../../domain/orchestrations/types';
import { personaMatches, type Persona } from '../../domain/scoring/personas';
import { AppError } from '../../errors';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';
import { optedOutAddresses } from '../outbound/optOuts';
import { loadScoringSettings } from '../scoring/settings';
import { knownEmails } from './knownEmails';

/** People the panel offers for one account at most (the selection's cap). */
export const PANEL_CANDIDATES = 10;

export type PanelAccount = {
  id: string;
  name: string | null;
  domain: string | null;
};

/** One offered person, as the panel and the orchestration preview show candidates. */
export interface CandidateView {
  provider_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  job_level: string | null;
  job_function: string | null;
  country: string | null;
  email_confidence: string | null;
  cost: number;
  account_id: string;
  account_name: string | null;
  why: string;
}

export interface AccountCandidates {
  account: PanelAccount;
  /** The persona's name as the persona map spells it; null: every persona. */
  persona: string | null;
  result: SelectionResult;
}

/** The store's account `accountId`; not_found when there is none. */
export async function panelAccount(db: Db, accountId: string): Promise<PanelAccount> {
  const [account] = await db.query<PanelAccount>('SELECT id, name, domain FROM accounts WHERE id = $1', [
    accountId,
  ]);
  if (!account) throw new AppError('not_found', `no account with id ${accountId}`);
  return account;
}

/**
 * A persona as a titles-filter entry: its job levels, job functions and title words (an empty
 * list sets no condition, as in the persona map). The filter compares title words as substrings,
 * the persona map as whole words.
 */
export function personaTitles(persona: Persona): TitleFilter {
  const entry: TitleFilter = {};
  if (persona.jobLevels.length > 0) entry.levels = persona.jobLevels;
  if (persona.jobFunctions.length > 0) entry.functions = persona.jobFunctions;
  if (persona.titleIncludes.length > 0) entry.include = persona.titleIncludes;
  if (persona.titleExcludes.length > 0) entry.exclude = persona.titleExcludes;
  return entry;
}

/**
 * What the provider offers at one account for a persona of the persona map, decided by the
 * orchestrations' selection (domain/orchestrations/selectCandidates.ts): the account's domain
 * searched, people already known, opted out or in a restricted region skipped, the persona's
 * titles as the one filter entry, ordered by the persona map then email confidence, at most
 * PANEL_CANDIDATES bought, no cooldown.
 */
export async function accountCandidates(props: {
  db: Db;
  provider: ContactProvider;
  account: PanelAccount;
  persona: string | null;
  now: Date;
}): Promise<AccountCandidates> {
  const { db, account } = props;
  const { personas } = await loadScoringSettings(db);
  const persona = props.persona === null ? null : findPersona(personas, props.persona);
  const domain = account.domain === null ? null : normalizeDomain(account.domain);
  const rows = domain === null ? [] : await props.provider.search([domain]);
  const emails = rows.map((row) => row.email).filter((e): e is string => e !== null && e.trim() !== '');
  const [known, optedOut] = await Promise.all([knownEmails(db, emails), optedOutAddresses(db, emails)]);
  const priority = (row: ProviderContact): number | null => {
    const index = personas.findIndex((p) =>
      personaMatches(p, { job_level: row.jobLevel, job_function: row.jobFunction, title: row.title }),
    );
    return index < 0 ? null : index;
  };
  const result = selectCandidates({
    accounts: [{ accountId: account.id, name: account.name, domain, visitCountries: [], lastPickedAt: null }],
    rows,
    knownEmails: known,
    optedOutEmails: new Set(optedOut.keys()),
    optedOutDomains: new Set(),
    filters: {
      titles: persona ? [personaTitles(persona)] : [],
      usePersonaMap: true,
      maxPerAccount: PANEL_CANDIDATES,
      allowRestrictedRegions: false,
    },
    personaPriority: priority,
    personaName: (row) => {
      const index = priority(row);
      return index === null ? null : (personas[index]?.name ?? null);
    },
    cooldownDays: 0,
    now: props.now,
  });
  return { account, persona: persona?.name ?? null, result };
}

/** The persona named `name` (any case); not_found naming the map's personas otherwise. */
function findPersona(personas: readonly Persona[], name: string): Persona {
  const wanted = name.trim().toLowerCase();
  const persona = personas.find((p) => p.name.toLowerCase() === wanted);
  if (persona) return persona;
  throw new AppError(
    'not_found',
    `no persona named "${name}" in the persona map (${personas.map((p) => p.name).join(', ') || 'it is empty'})`,
  );
}

export function candidateView(decision: RowDecision, account: PanelAccount): CandidateView {
  const { row } = decision;
  return {
    provider_id: row.providerId,
    email: row.email,
    first_name: row.firstName,
    last_name: row.lastName,
    title: row.title,
    job_level: row.jobLevel,
    job_function: row.jobFunction,
    country: row.country,
    email_confidence: row.emailConfidence,
    cost: row.cost,
    account_id: account.id,
    account_name: account.name,
    why: decision.why,
  };
}
