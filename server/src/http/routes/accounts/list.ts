import { stringify } from 'csv-stringify/sync';
import type { z } from 'zod';
import { Router, type RequestHandler, type Response } from 'express';
import {
  listAccounts,
  listIndustries,
  type AccountListRow,
  type ListCursor,
} from '../../../services/accounts/listAccounts';
import { createMatchCounter, type MatchCounter } from '../../../services/accounts/matchCounts';
import { findRun } from '../../../services/scoring/currentRun';
import { spreadsheetSafeCsv } from '../../../services/csv/spreadsheetSafe';
import type { Db } from '../../../store/db';
import { assertMayReadAccount } from '../../../policies/policies';
import { allow } from '../../auth/allow';
import { accessOf, requireAccess, type AccessKeySource } from '../../auth/requireAccess';
import { parse } from '../../validate';
import { encodeCursor, exportQuery, listQuery } from './listSchema';

export interface AccountListDeps {
  db: Db;
  keys: AccessKeySource;
  now: () => Date;
}

/** Rows fetched per query while the CSV export streams. */
const EXPORT_BATCH = 2000;
const CSV_COLUMNS = [
  'id',
  'name',
  'domain',
  'industry',
  'employees',
  'profile_fit',
  'profile_score',
  'intent_score',
  'buying_stage',
  'reach',
  'qualified',
  'qualified_since',
];

/**
 * Booleans as true/false (csv-stringify would write 1 and nothing); text that a spreadsheet
 * would run as a formula (an account named `=1+1`) escaped as text.
 */
const CSV_OPTIONS = spreadsheetSafeCsv({ boolean: (value: boolean) => String(value) });

/**
 * The standalone app's accounts list (docs/http-api.md "Accounts list API"):
 * - `GET /api/accounts?sort=&dir=&fit=&stage=&qualified=&industry=&q=&segment=&limit=&cursor=`: one page,
 *   the count of matches (capped), the cursor of the next page;
 * - `GET /api/accounts/export.csv?<same filters and sort>`: the whole view as CSV, streamed;
 * - `GET /api/accounts/industries`: the values the industry filter offers.
 */
export function accountListRoutes(deps: AccountListDeps): Router {
  const router = Router();
  const auth = requireAccess(deps.keys, deps.now);
  const counter = createMatchCounter();
  // Every account at once: not for a panel user bound to the panel's record (policies.ts).
  const list: RequestHandler = (_req, res, next) => {
    assertMayReadAccount(accessOf(res), null);
    next();
  };

  router.get('/api/accounts', auth, list, async (req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json(await accountsPage(deps.db, counter, parse(listQuery, req.query)));
  });

  router.get('/api/accounts/industries', auth, list, async (_req, res) => {
    res.set('Cache-Control', 'private, no-store');
    res.json({ industries: await listIndustries(deps.db) });
  });

  router.get(
    '/api/accounts/export.csv',
    auth,
    allow('exports.csv', 'exporting accounts'),
    async (req, res) => {
      const query = parse(exportQuery, req.query);
      await sendAccountsCsv(
        res,
        deps.db,
        query,
        `signalfit-accounts-${deps.now().toISOString().slice(0, 10)}.csv`,
      );
    },
  );

  return router;
}

/** The query of the list (listQuery), parsed. */
export type AccountListQuery = z.output<typeof listQuery>;
export type AccountExportQuery = z.output<typeof exportQuery>;

/**
 * One page of the accounts list as GET /api/accounts answers it; `segmentId` (the path's segment
 * of GET /api/segments/:id/accounts, else the query's `segment`) limits it to the members of a
 * segment in the current run.
 */
export async function accountsPage(
  db: Db,
  counter: MatchCounter,
  query: AccountListQuery,
  segmentId?: number,
) {
  const run = await findRun(db);
  const page = await listAccounts({
    db,
    runId: run?.id ?? null,
    sort: query.sort,
    dir: query.dir,
    filters: { ...query, segmentId: segmentId ?? query.segment },
    limit: query.limit,
    cursor: query.cursor,
    counter,
  });
  return {
    accounts: page.accounts,
    count: page.count,
    countCapped: page.countCapped,
    nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null,
    run: run ? { asOf: run.asOf, modelVersion: run.modelVersion } : null,
  };
}

/** The whole filtered and sorted list as a CSV attachment, streamed page by page (spreadsheet safe). */
export async function sendAccountsCsv(
  res: Response,
  db: Db,
  query: AccountExportQuery,
  fileName: string,
  segmentId?: number,
): Promise<void> {
  const run = await findRun(db);
  let closed = false;
  res.on('close', () => (closed = true));
  res.set('Cache-Control', 'private, no-store');
  res.type('text/csv; charset=utf-8');
  res.attachment(fileName);
  await write(res, stringify([CSV_COLUMNS], CSV_OPTIONS));
  let cursor: ListCursor | undefined;
  do {
    const page = await listAccounts({
      db,
      runId: run?.id ?? null,
      sort: query.sort,
      dir: query.dir,
      filters: { ...query, segmentId: segmentId ?? query.segment },
      limit: EXPORT_BATCH,
      cursor,
    });
    if (page.accounts.length > 0) await write(res, stringify(page.accounts.map(csvRecord), CSV_OPTIONS));
    cursor = page.nextCursor ?? undefined;
  } while (cursor && !closed);
  res.end();
}

function csvRecord(row: AccountListRow): unknown[] {
  return [
    row.id,
    row.name,
    row.domain,
    row.industry,
    row.employees,
    row.profileFit,
    row.profileScore,
    row.intentScore,
    row.buyingStage,
    row.reach,
    row.qualified,
    row.qualifiedSince,
  ];
}

/** Writes with backpressure: a slow client holds the export, not the service's memory. */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}
