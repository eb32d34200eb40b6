import { selectCandidates } from '../../domain/orchestrations/selectCandidates';
import type { AccountDecision, CreditBalance, RowDecision } from '../../domain/orchestrations/types';
import { SKIP_REASONS, type SkipReason } from '../../domain/orchestrations/vocabulary';
import { AppError } from '../../errors';
import type { ContactProvider } from '../../integrations/providers/provider';
import { authorize, type Actor } from '../../policies/policies';
import type { Db } from '../../store/db';
import { getCredits } from '../credits/credits';
import { openProvider } from '../providers/providers';
import { audiencePeople, audienceWhy } from './audienceRun';
import type { OrchestrationRecord } from './orchestrationRecords';
import { gatherSelectionInput } from './selectionInput';

/**
 * The preview of an orchestration (docs/orchestration-runs.md "Preview"): what a run would do
 * now. It buys nothing, charges nothing, creates nothing and writes nothing: the provider is
 * searched, never asked to purchase, and the store is only read.
 */

/** A candidate as the preview and the candidates file show it. */
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

/** add_to_audience: a person it would push. */
export interface AudienceView {
  person_id: string;
  email: string | null;
  first_name: string | null;
  last_name: string | null;
  title: string | null;
  account_id: string;
  account_name: string | null;
  why: string;
}

export interface PreviewCounts {
  accounts: number;
  accountsWithCandidates: number;
  candidates: number;
  toBuy: number;
  cost: number;
  skipped: Record<SkipReason, number>;
}

/** The credits meter as the API shows it (dates ISO). */
export interface CreditView {
  allowance: number;
  period: string;
  allowOverage: boolean;
  periodStart: string;
  periodEnd: string;
  used: number;
  balance: number;
  overage: number;
}

export interface PreviewResult {
  sample: CandidateView[] | AudienceView[];
  counts: PreviewCounts;
  credits: CreditView | null;
}

/** Everything the preview found, for the downloads. */
export interface PreviewDetail extends PreviewResult {
  /** acquire_contacts: every candidate (bought or cut by the cap); add_to_audience: every person. */
  candidates: CandidateView[] | AudienceView[];
  /** acquire_contacts: every account considered; add_to_audience: empty. */
  accounts: AccountDecision[];
}

export const PREVIEW_SAMPLE = 100;

export function toCreditView(balance: CreditBalance | null): CreditView | null {
  if (!balance) return null;
  return {
    allowance: balance.allowance,
    period: balance.period,
    allowOverage: balance.allowOverage,
    periodStart: balance.periodStart.toISOString(),
    periodEnd: balance.periodEnd.toISOString(),
    used: balance.used,
    balance: balance.balance,
    overage: balance.overage,
  };
}

function emptySkips(): Record<SkipReason, number> {
  return Object.fromEntries(SKIP_REASONS.map((reason) => [reason, 0])) as Record<SkipReason, number>;
}

/** A row the selection buys or the cap cuts, as the preview, its files and the panel show it. */
export function candidateView(
  decision: RowDecision,
  accountNames: ReadonlyMap<string, string | null>,
): CandidateView {
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
    account_id: decision.accountId,
    account_name: accountNames.get(decision.accountId) ?? null,
    why: decision.why,
  };
}

export interface PreviewProps {
  db: Db;
  orchestration: OrchestrationRecord;
  actor: Actor;
  now: Date;
  secretKey?: string | null;
  /** Opens the provider; default: services/providers openProvider. */
  openProvider?: (db: Db, ref: number) => Promise<ContactProvider>;
}

/** The preview with everything behind it (the API answers `sample`, `counts`, `credits`). */
export async function previewOrchestration(props: PreviewProps): Promise<PreviewDetail> {
  const { db, orchestration, now } = props;
  authorize(props.actor, 'orchestrations.view', 'previewing orchestrations');
  const credits = toCreditView(await getCredits(db, now));
  if (orchestration.goal === 'add_to_audience') return previewAudience(db, orchestration, credits);
  if (!orchestration.provider) {
    throw new AppError(
      'invalid_orchestration',
      `orchestration "${orchestration.name}" has no provider: give it one (signalfit orchestrations update)`,
    );
  }
  const provider = props.openProvider
    ? await props.openProvider(db, orchestration.provider.id)
    : await openProvider(db, orchestration.provider.id, { secretKey: props.secretKey ?? null });
  const { input } = await gatherSelectionInput({ db, orchestration, provider, now });
  const selection = selectCandidates(input);
  const names = new Map(input.accounts.map((a) => [a.accountId, a.name]));
  const skipped = emptySkips();
  for (const decision of selection.rows) if (decision.reason) skipped[decision.reason] += 1;
  const candidates = selection.rows
    .filter((d) => d.reason === null || d.reason === 'cap_reached')
    .map((d) => candidateView(d, names));
  return {
    sample: selection.purchases.slice(0, PREVIEW_SAMPLE).map((d) => candidateView(d, names)),
    counts: {
      accounts: selection.accounts.length,
      accountsWithCandidates: selection.accounts.filter((a) => a.candidates > 0).length,
      candidates: candidates.length,
      toBuy: selection.purchases.length,
      cost: selection.purchases.reduce((sum, d) => sum + d.row.cost, 0),
      skipped,
    },
    credits,
    candidates,
    accounts: selection.accounts,
  };
}

/** add_to_audience: the people a run would push now (the delta), opted-out people left out. */
async function previewAudience(
  db: Db,
  orchestration: OrchestrationRecord,
  credits: CreditView | null,
): Promise<PreviewDetail> {
  const people = await audiencePeople(db, orchestration);
  const skipped = emptySkips();
  const pushable: AudienceView[] = [];
  for (const person of people) {
    if (!person.email) skipped.no_email += 1;
    else if (person.optedOut) skipped.opted_out += 1;
    else {
      pushable.push({
        person_id: person.personId,
        email: person.email,
        first_name: person.firstName,
        last_name: person.lastName,
        title: person.title,
        account_id: person.accountId,
        account_name: person.accountName,
        why: audienceWhy(person),
      });
    }
  }
  const accounts = new Set(pushable.map((p) => p.account_id));
  return {
    sample: pushable.slice(0, PREVIEW_SAMPLE),
    counts: {
      accounts: new Set(people.map((p) => p.accountId)).size,
      accountsWithCandidates: accounts.size,
      candidates: pushable.length,
      toBuy: 0,
      cost: 0,
      skipped,
    },
    credits,
    candidates: pushable,
    accounts: [],
  };
}
