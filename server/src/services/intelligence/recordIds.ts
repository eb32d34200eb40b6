import { normalizeSalesforceId } from '../../domain/salesforceId';

/**
 * The ids under which a record may be stored, for an id a caller sends: the id as given, and
 * for a Salesforce id both its 18-character form (case restored) and its 15-character form,
 * since sources differ in which one they export.
 */
export function candidateIds(id: string): string[] {
  const normalized = normalizeSalesforceId(id);
  const candidates = normalized ? [id, normalized, normalized.slice(0, 15)] : [id];
  return [...new Set(candidates)];
}

/**
 * The complete score run readers use: the latest `as_of`, then the latest id (0002_scores.sql).
 * Used as a lateral subquery so scores and their run come from one statement.
 */
export const CURRENT_RUN_SQL = `SELECT id, as_of, model_version FROM score_runs
  WHERE status = 'complete' ORDER BY as_of DESC, id DESC LIMIT 1`;
