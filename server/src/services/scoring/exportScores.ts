import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Db } from '../../store/db';
import { spreadsheetSafeSql } from '../csv/spreadsheetSafe';
import { findRun, type RunRef } from './currentRun';
import { scoreStore } from './scoreStore';
import { OPERATOR } from '../../policies/policies';

export const ACCOUNT_SCORES_FILE = 'account_scores.csv';
export const CONTACT_SCORES_FILE = 'contact_scores.csv';

/**
 * The export columns (docs/command-line.md); booleans as true/false, nulls empty. The ids
 * come from the CRM or an imported file, so one that a spreadsheet would run as a formula is
 * escaped as text (the other columns are numbers and the engine's own words).
 */
function accountScoresSql(run: RunRef): string {
  return `SELECT ${spreadsheetSafeSql('s.account_id')} AS account_id, '${run.asOf}' AS as_of, s.intent_score, s.buying_stage, s.profile_score, s.profile_fit,
      s.reach, CASE WHEN s.qualified THEN 'true' ELSE 'false' END AS qualified,
      to_char(s.qualified_since, 'YYYY-MM-DD') AS qualified_since, r.model_version
    FROM account_scores s JOIN score_runs r ON r.id = s.run_id
    WHERE s.run_id = ${run.id} ORDER BY s.account_id COLLATE "C"`;
}

function contactScoresSql(run: RunRef): string {
  return `SELECT ${spreadsheetSafeSql('contact_id')} AS contact_id, ${spreadsheetSafeSql('account_id')} AS account_id, '${run.asOf}' AS as_of, engagement_score, engagement_grade, profile_score,
      profile_fit, persona
    FROM contact_scores WHERE run_id = ${run.id} ORDER BY contact_id COLLATE "C"`;
}

export interface ExportResult {
  run: RunRef;
  /** True when the store had no run for the day and this export scored it first. */
  scored: boolean;
  files: string[];
}

/**
 * Writes account_scores.csv and contact_scores.csv of a run into `dir`: the run of `asOf`
 * (YYYY-MM-DD) or the current run. When the store has no such run, it scores first (as of
 * `asOf`, or `today`), so an export always reflects the data in the store.
 */
export async function exportScores(
  db: Db,
  props: { dir: string; asOf?: string; today: Date },
): Promise<ExportResult> {
  let run = await findRun(db, props.asOf);
  let scored = false;
  if (run === null) {
    const result = await scoreStore(db, {
      asOf: props.asOf ? new Date(`${props.asOf}T00:00:00Z`) : props.today,
      // `signalfit export` is the only caller.
      actor: OPERATOR,
    });
    run = await findRun(db, result.asOf);
    scored = true;
  }
  if (run === null) throw new Error('unreachable: a completed scoring run was not found');
  await mkdir(props.dir, { recursive: true });
  const files: string[] = [];
  for (const [file, sql] of [
    [ACCOUNT_SCORES_FILE, accountScoresSql(run)],
    [CONTACT_SCORES_FILE, contactScoresSql(run)],
  ] as const) {
    const target = path.join(props.dir, file);
    await pipeline(Readable.from(db.copyOut(sql, 'csv')), createWriteStream(target));
    files.push(target);
  }
  return { run, scored, files };
}
