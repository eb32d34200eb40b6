import { stringify } from 'csv-stringify/sync';
import type { AccountDecision } from '../../domain/orchestrations/types';
import { spreadsheetSafeCsv } from '../csv/spreadsheetSafe';
import type { AudienceView, CandidateView, PreviewDetail } from './previewOrchestration';

/**
 * The preview's downloads (docs/orchestration-runs.md "Candidate and account files"), written
 * with the project's CSV options, which keep a cell from running as a spreadsheet formula.
 */
const CSV_OPTIONS = spreadsheetSafeCsv({ boolean: (value) => String(value) });

/** The columns of a candidates file. */
export const CANDIDATE_COLUMNS = [
  'provider_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'job_level',
  'job_function',
  'country',
  'email_confidence',
  'cost',
  'account_id',
  'why',
] as const;

/** add_to_audience's candidates file: the store's people it would push. */
export const AUDIENCE_COLUMNS = [
  'person_id',
  'email',
  'first_name',
  'last_name',
  'title',
  'account_id',
  'why',
] as const;

export const ACCOUNT_COLUMNS = ['account_id', 'name', 'domain', 'candidates', 'skipped_reason'] as const;

function csv(columns: readonly string[], rows: Record<string, unknown>[]): string {
  return stringify(rows, { ...CSV_OPTIONS, header: true, columns: [...columns] });
}

/** Every candidate (bought, or cut by the cap: `why` says which). */
export function candidatesCsv(
  goal: 'acquire_contacts' | 'add_to_audience',
  rows: readonly (CandidateView | AudienceView)[],
): string {
  return csv(
    goal === 'acquire_contacts' ? CANDIDATE_COLUMNS : AUDIENCE_COLUMNS,
    rows as unknown as Record<string, unknown>[],
  );
}

/**
 * Every account considered: `candidates` that passed every test but the cap; `skipped_reason`
 * one of ACCOUNT_SKIP_REASONS (no_domain, cooldown, no_candidates), empty when someone is bought
 * there (an account where the cap cut people is not skipped: its cut rows say `cap_reached`).
 */
export function accountsCsv(accounts: readonly AccountDecision[]): string {
  return csv(
    ACCOUNT_COLUMNS,
    accounts.map((a) => ({
      account_id: a.accountId,
      name: a.name,
      domain: a.domain,
      candidates: a.candidates,
      skipped_reason: a.skippedReason ?? '',
    })),
  );
}

/** The preview sample (≤ 100 rows) in the candidates file's columns. */
export function sampleCsv(preview: PreviewDetail, goal: 'acquire_contacts' | 'add_to_audience'): string {
  return candidatesCsv(goal, preview.sample);
}
