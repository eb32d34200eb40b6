import { BUYING_STAGES, FIT_BANDS, type BuyingStage, type FitBand } from '../vocabulary';

/**
 * The accounts of the current run's day under the active and the candidate versions, side by side
 * (docs/models.md "Comparison"): the transition matrices and their drill-down.
 */

/** An account's scores under one version. */
export interface AccountState {
  stage: BuyingStage | null;
  fit: FitBand | null;
  intent_score: number | null;
  profile_score: number | null;
  qualified: boolean;
}

/** One account under both versions; null on the side that did not score it. */
export interface ComparedAccount {
  account_id: string;
  active: AccountState | null;
  candidate: AccountState | null;
}

/** The key of a missing stage or fit (no model, or not scored on that side). */
export const NONE = 'none';

export type TransitionField = 'stage' | 'fit';

/** `{ from: { to: count } }`: rows are the active version's value, columns the candidate's. */
export type Transitions = Record<string, Record<string, number>>;

/** The keys of a matrix, in the vocabulary's order, then none. */
export function transitionKeys(field: TransitionField): string[] {
  return [...(field === 'stage' ? BUYING_STAGES : FIT_BANDS), NONE];
}

/** Every account of either side once, ordered by account id (code-unit order). */
export function pairAccounts(
  active: ReadonlyMap<string, AccountState>,
  candidate: ReadonlyMap<string, AccountState>,
): ComparedAccount[] {
  const ids = [...new Set([...active.keys(), ...candidate.keys()])].sort((a, b) =>
    a < b ? -1 : a > b ? 1 : 0,
  );
  return ids.map((id) => ({
    account_id: id,
    active: active.get(id) ?? null,
    candidate: candidate.get(id) ?? null,
  }));
}

/** An account's stage or fit under one version as a matrix key. */
export function keyOf(state: AccountState | null, field: TransitionField): string {
  return state?.[field] ?? NONE;
}

/** The full matrix (every key of the vocabulary and none, zeros included); its cells sum to the accounts. */
export function transitionMatrix(accounts: readonly ComparedAccount[], field: TransitionField): Transitions {
  const keys = transitionKeys(field);
  const matrix: Transitions = Object.fromEntries(
    keys.map((from) => [from, Object.fromEntries(keys.map((to) => [to, 0]))]),
  );
  for (const account of accounts) {
    const row = matrix[keyOf(account.active, field)] as Record<string, number>;
    const to = keyOf(account.candidate, field);
    row[to] = (row[to] ?? 0) + 1;
  }
  return matrix;
}

/** What a drill-down asks for: a cell (or row, or column) of a matrix, or a qualified change. */
export type DrillDown =
  | { kind: TransitionField; from?: string; to?: string }
  | { kind: 'becoming_qualified' }
  | { kind: 'stopping_qualified' };

export function isBecomingQualified(account: ComparedAccount): boolean {
  return account.candidate?.qualified === true && account.active?.qualified !== true;
}

export function isStoppingQualified(account: ComparedAccount): boolean {
  return account.active?.qualified === true && account.candidate?.qualified !== true;
}

/** The accounts a drill-down names, in the given order; a cell without from (or to) is its whole column (row). */
export function drillDown(accounts: readonly ComparedAccount[], filter: DrillDown): ComparedAccount[] {
  if (filter.kind === 'becoming_qualified') return accounts.filter(isBecomingQualified);
  if (filter.kind === 'stopping_qualified') return accounts.filter(isStoppingQualified);
  const { kind, from, to } = filter;
  return accounts.filter(
    (account) =>
      (from === undefined || keyOf(account.active, kind) === from) &&
      (to === undefined || keyOf(account.candidate, kind) === to),
  );
}
