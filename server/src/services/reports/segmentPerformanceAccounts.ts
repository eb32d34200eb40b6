import { AppError } from '../../errors';
import { segmentPerformanceData, type SegmentPerformanceProps } from './segmentPerformanceData';

export const DRILL_DOWN_TABLES = ['summary', 'distribution', 'movement', 'activities'] as const;
export type DrillDownTable = (typeof DRILL_DOWN_TABLES)[number];

/** The accounts listed at most (by name). */
export const DRILL_DOWN_LIMIT = 500;

export interface SegmentPerformanceAccountsProps extends SegmentPerformanceProps {
  table: DrillDownTable;
  /** summary: accounts|increased|decreased|unchanged|pipeline|won; distribution: <timeframe>.<stage or state>;
   * movement: <from>.<to>; activities: <timeframe>.<panel>.<metric>[.<source>] (docs/reports.md). */
  key: string;
}

export interface DrillDownAccounts {
  total: number;
  accounts: { id: string; name: string | null; domain: string | null }[];
}

/** The accounts behind one number of the report: how many, and the first 500 by name. */
export async function segmentPerformanceAccounts(
  props: SegmentPerformanceAccountsProps,
): Promise<DrillDownAccounts> {
  const data = await segmentPerformanceData(props);
  const ids = data.result.accountsOf(`${props.table}:${props.key}`);
  if (!ids)
    throw new AppError(
      'bad_request',
      `key: the ${props.table} table of this report has no number "${props.key}"`,
    );
  const accounts = await props.db.query<{ id: string; name: string | null; domain: string | null }>(
    `SELECT id, name, domain FROM accounts WHERE id = ANY ($1::text[])
      ORDER BY lower(coalesce(name, '')), id LIMIT ${DRILL_DOWN_LIMIT}`,
    [ids],
  );
  return { total: ids.length, accounts };
}
