import { normalizeDomain, normalizeEmail } from '../../domain/orchestrations/domains';
import type { ProviderContact, SelectionAccount, SelectionInput } from '../../domain/orchestrations/types';
import { personaMatches, type Persona } from '../../domain/scoring/personas';
import type { ContactProvider } from '../../integrations/providers/provider';
import type { Db } from '../../store/db';
import { findRun } from '../scoring/currentRun';
import { loadScoringSettings } from '../scoring/settings';
import { listedDomainsOf } from '../outbound/optOuts';
import { SqlParams } from '../segments/compileSql';
import { scopeCondition, segmentScope } from '../segments/scope';
import type { OrchestrationRecord } from './orchestrationRecords';

/**
 * What the selection (domain/orchestrations/selectCandidates.ts) is given for an orchestration,
 * gathered set-based: one statement for the segment's accounts, one provider search for their
 * domains, one statement each for the known and the opted-out emails of the provider's rows.
 * Nothing here reads every contact of the store.
 */

interface AccountDbRow {
  id: string;
  name: string | null;
  domain: string | null;
  visit_countries: string[] | null;
  last_picked_at: Date | string | null;
  [column: string]: unknown;
}

/**
 * The accounts of the orchestration's segment in the current complete score run (as that run
 * recorded them, or the segment evaluated live when it has no recorded row of its version), by id.
 *
 * `visitCountries`: activities carry no country, so a web visit's country is its contact's
 * country when the visit names a contact that has one, else the account's own country; the
 * countries are ordered by visits, most first, ties by code.
 * `lastPickedAt`: the latest purchase THIS orchestration made at the account, bought or still
 * being bought (a dead run's requested purchases are picks: its rerun takes them over and picks
 * no more there); the cooldown is per orchestration: other orchestrations and the panel do not
 * start it.
 */
export async function segmentAccounts(
  db: Db,
  orchestration: OrchestrationRecord,
): Promise<SelectionAccount[]> {
  const run = await findRun(db);
  const scope = await segmentScope(db, orchestration.segment.id, run);
  const params = new SqlParams();
  const runParam = `${params.add(run?.id ?? null)}::bigint`;
  const condition = await scopeCondition(scope, 'a.id', params, runParam);
  const orchestrationParam = params.add(orchestration.id);
  const rows = await db.query<AccountDbRow>(
    `WITH m AS MATERIALIZED (
       SELECT a.id, a.name, a.domain, a.country
         FROM accounts a LEFT JOIN account_scores s ON s.run_id = ${runParam} AND s.account_id = a.id
        WHERE ${condition}
     ), visits AS (
       SELECT v.account_id, upper(trim(coalesce(nullif(trim(c.country), ''), m.country))) AS country, count(*) AS n
         FROM m JOIN activities v ON v.account_id = m.id AND v.type = 'web_visit'
         LEFT JOIN contacts c ON c.id = v.contact_id
        GROUP BY 1, 2
     ), countries AS (
       SELECT account_id, array_agg(country ORDER BY n DESC, country COLLATE "C") AS visit_countries
         FROM visits WHERE country IS NOT NULL AND country <> '' GROUP BY account_id
     ), picked AS (
       SELECT p.account_id, max(coalesce(p.purchased_at, p.requested_at)) AS last_picked_at
         FROM contact_purchases p
        WHERE p.orchestration_id = ${orchestrationParam}::bigint AND p.state <> 'failed'
        GROUP BY p.account_id
     )
     SELECT m.id, m.name, m.domain, c.visit_countries, p.last_picked_at
       FROM m LEFT JOIN countries c ON c.account_id = m.id LEFT JOIN picked p ON p.account_id = m.id
      ORDER BY m.id COLLATE "C"`,
    params.values,
  );
  return rows.map((row) => ({
    accountId: row.id,
    name: row.name,
    domain: row.domain,
    visitCountries: row.visit_countries ?? [],
    lastPickedAt: row.last_picked_at === null ? null : new Date(row.last_picked_at),
  }));
}

/**
 * Of the provider rows' emails (normalized), those Signalfit already knows — a contact or lead of
 * the store with that address, or a purchase that is not failed (requested or purchased: a
 * person is bought once across every orchestration and the panel) — and those opted out by
 * address (the rules of services/outbound/optOuts.ts: a record with it opted out, or the opt-out
 * list holds it; the list's domains are listedDomainsOf's).
 * One statement: the addresses are joined as a set (a hash join on PostgreSQL), which stays fast
 * for 200,000 addresses where `= ANY(array)` probes the index once per address. Sends check
 * opt-outs again with optedOutAddresses at the moment of sending.
 */
export async function emailFacts(
  db: Db,
  emails: readonly string[],
): Promise<{ known: Set<string>; optedOut: Set<string> }> {
  const addresses = [...new Set(emails.map(normalizeEmail).filter(Boolean))];
  if (addresses.length === 0) return { known: new Set(), optedOut: new Set() };
  const rows = await db.query<{ address: string; known: boolean; opted_out: boolean }>(
    `WITH e AS MATERIALIZED (SELECT DISTINCT unnest($1::text[]) AS address)
     SELECT e.address, true AS known, bool_or(c.opted_out) AS opted_out
       FROM e JOIN contacts c ON lower(trim(c.email)) = e.address GROUP BY e.address
     UNION ALL
     SELECT DISTINCT e.address, true, false FROM e JOIN contact_purchases p ON lower(p.email) = e.address AND p.state <> 'failed'
     UNION ALL
     SELECT e.address, false, true FROM e JOIN opt_outs o ON o.kind = 'email' AND o.value = e.address`,
    [addresses],
  );
  return {
    known: new Set(rows.filter((row) => row.known).map((row) => row.address)),
    optedOut: new Set(rows.filter((row) => row.opted_out).map((row) => row.address)),
  };
}

/** The known addresses of emailFacts. */
export async function knownEmails(db: Db, emails: readonly string[]): Promise<Set<string>> {
  return (await emailFacts(db, emails)).known;
}

/** The persona map's priority of a provider row: the index of the first persona it matches. */
export function personaPriority(personas: readonly Persona[]): (row: ProviderContact) => number | null {
  return (row) => {
    const index = personas.findIndex((persona) =>
      personaMatches(persona, { job_level: row.jobLevel, job_function: row.jobFunction, title: row.title }),
    );
    return index < 0 ? null : index;
  };
}

/** The name of that persona (the `why` of a bought row). */
export function personaName(personas: readonly Persona[]): (row: ProviderContact) => string | null {
  const priority = personaPriority(personas);
  return (row) => {
    const index = priority(row);
    return index === null ? null : (personas[index]?.name ?? null);
  };
}

export interface GatheredSelection {
  input: SelectionInput;
  /** The provider's rows at the segment's domains (as searched). */
  rows: ProviderContact[];
}

/**
 * Everything selectCandidates needs for `orchestration`, with `provider` searched for the
 * segment's domains. Opted-out domains: the opt-out list's domains that cover the rows' emails.
 */
export async function gatherSelectionInput(props: {
  db: Db;
  orchestration: OrchestrationRecord;
  provider: ContactProvider;
  now: Date;
}): Promise<GatheredSelection> {
  const { db, orchestration, provider } = props;
  const accounts = await segmentAccounts(db, orchestration);
  const domains = [
    ...new Set(accounts.map((a) => (a.domain === null ? null : normalizeDomain(a.domain)))),
  ].filter((d): d is string => d !== null);
  const rows = domains.length === 0 ? [] : await provider.search(domains);
  const emails = rows.map((row) => row.email).filter((e): e is string => e !== null && e.trim() !== '');
  const [facts, optedOutDomains, settings] = await Promise.all([
    emailFacts(db, emails),
    listedDomainsOf(db, emails),
    loadScoringSettings(db),
  ]);
  return {
    rows,
    input: {
      accounts,
      rows,
      knownEmails: facts.known,
      optedOutEmails: facts.optedOut,
      optedOutDomains,
      filters: orchestration.filters,
      personaPriority: personaPriority(settings.personas),
      personaName: personaName(settings.personas),
      cooldownDays: orchestration.cooldownDays,
      now: props.now,
    },
  };
}
