import { normalizeDomain } from '../../domain/orchestrations/domains';
import { selectCandidates } from '../../domain/orchestrations/selectCandidates';
import type { SelectionResult, TitleFilter } from '../../domain/orchestrations/types';
import type { Persona } from '../../domain/scoring/personas';
import { AppError } from '../../errors';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';
import { listedDomainsOf } from '../outbound/optOuts';
import { loadScoringSettings } from '../scoring/settings';
import { emailFacts, personaName, personaPriority } from '../orchestrations/selectionInput';

/** People the panel offers for one account at most (the selection's cap). */
export const PANEL_CANDIDATES = 10;

export type PanelAccount = {
  id: string;
  name: string | null;
  domain: string | null;
};

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
  // The same facts as an orchestration's selection: known and opted-out addresses in one query.
  const [{ known, optedOut }, optedOutDomains] = await Promise.all([
    emailFacts(db, emails),
    listedDomainsOf(db, emails),
  ]);
  const result = selectCandidates({
    accounts: [{ accountId: account.id, name: account.name, domain, visitCountries: [], lastPickedAt: null }],
    rows,
    knownEmails: known,
    optedOutEmails: optedOut,
    optedOutDomains,
    filters: {
      titles: persona ? [personaTitles(persona)] : [],
      usePersonaMap: true,
      maxPerAccount: PANEL_CANDIDATES,
      allowRestrictedRegions: false,
    },
    personaPriority: personaPriority(personas),
    personaName: personaName(personas),
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
