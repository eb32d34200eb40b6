import {
  fetchResultPage,
  startQueryJob,
  waitForQueryJob,
  type PollOptions,
} from '../../integrations/salesforce/bulkQuery';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import type { FieldMapping } from '../../integrations/salesforce/fieldMapping';
import {
  SYNC_OBJECTS,
  SYNC_ORDER,
  buildSyncQuery,
  syncFields,
  type SyncedSObject,
} from '../../integrations/salesforce/syncObjects';
import type { Db } from '../../store/db';
import { refreshCurrentMemberships } from '../segments/membership';
import { ApiBudget, isBudgetReached } from './apiBudget';
import { advancePull, dropPull, readCheckpoint, startPull } from './checkpoints';
import { emptyCounts, landPage, type PageCounts } from './landPage';

export interface SyncSalesforceProps {
  db: Db;
  /** Logs in; receives the budget guard to check before every API call. */
  connect: (guard: ApiBudget['guard']) => Promise<SalesforceClient>;
  mapping: FieldMapping;
  /** Share of the org's daily API limit the sync may use (1–100). */
  budgetPercent: number;
  now?: () => Date;
  /**
   * Changes newer than now minus this are left to the next run: a record saved while the query
   * job runs may carry an earlier SystemModstamp than one already read.
   */
  settleSeconds?: number;
  /** Rows per results page (Bulk API `maxRecords`). */
  pageSize?: number;
  poll?: PollOptions;
  objects?: readonly SyncedSObject[];
  onPage?: (sobject: SyncedSObject, counts: PageCounts) => void;
}

export interface SyncReport {
  status: 'complete' | 'paused';
  /** Why the sync paused (the API budget), when it did. */
  reason: string | null;
  objects: Record<string, PageCounts>;
  apiCalls: number;
  orgApiUsage: { used: number; limit: number } | null;
  /** Whether the segments' membership in the current run was evaluated again (records changed). */
  segmentsRefreshed: boolean;
}

const DEFAULT_PAGE_SIZE = 50_000;
const DEFAULT_POLL: PollOptions = { pollIntervalMs: 2_000, pollTimeoutMs: 30 * 60_000 };

/**
 * Pulls Account, Contact, Lead, Opportunity, Task, Event and CampaignMember from Salesforce with
 * Bulk API 2.0 query jobs into the canonical tables. The first run takes everything; later runs
 * take what changed since the object's checkpoint (`SystemModstamp`), with `queryAll` so that
 * deleted records come too and are removed.
 *
 * Each results page lands in one transaction with the checkpoint that says which page comes
 * next, so a run killed at any point, or stopped at the API budget, resumes where it stood and
 * no page lands twice. When records changed, every segment's membership in the current score
 * run is recorded again (a run killed before that leaves it to the next score run).
 */
export async function syncSalesforce(props: SyncSalesforceProps): Promise<SyncReport> {
  const now = props.now ?? (() => new Date());
  const budget = await ApiBudget.load(props.db, props.budgetPercent, now());
  const report: SyncReport = {
    status: 'complete',
    reason: null,
    objects: {},
    apiCalls: 0,
    orgApiUsage: null,
    segmentsRefreshed: false,
  };
  let client: SalesforceClient | null = null;
  try {
    client = await props.connect(budget.guard);
    for (const sobject of props.objects ?? SYNC_ORDER) {
      report.objects[sobject] = emptyCounts();
      await syncObject(props, client, budget, sobject, report.objects[sobject]!, now);
    }
  } catch (error) {
    if (!isBudgetReached(error)) throw error;
    report.status = 'paused';
    report.reason = error.message;
  } finally {
    if (client) {
      await budget.record(props.db, client.usage, now());
      report.apiCalls = client.usage.calls;
      const { orgUsed, orgLimit } = client.usage;
      report.orgApiUsage = orgUsed !== null && orgLimit !== null ? { used: orgUsed, limit: orgLimit } : null;
    }
  }
  // CRM segments filter on what was just synced, and the others on accounts, people and facts
  // that may have changed: their members in the current run follow at once, without a new run.
  if (Object.values(report.objects).some((c) => c.inserted + c.updated + c.deleted + c.crmChanged > 0)) {
    await refreshCurrentMemberships(props.db);
    report.segmentsRefreshed = true;
  }
  return report;
}

async function syncObject(
  props: SyncSalesforceProps,
  client: SalesforceClient,
  budget: ApiBudget,
  sobject: SyncedSObject,
  counts: PageCounts,
  now: () => Date,
): Promise<void> {
  const { db } = props;
  const object = SYNC_OBJECTS[sobject];
  const poll = props.poll ?? DEFAULT_POLL;
  const fields = syncFields(object, props.mapping).join(', ');
  let checkpoint = await readCheckpoint(db, sobject);
  for (let attempt = 0; ; attempt++) {
    if (!checkpoint.jobId) {
      // A mapping that asks for other fields takes every record again, so none lacks a new field.
      const fieldsChanged = checkpoint.fields !== null && checkpoint.fields !== fields;
      const since = fieldsChanged ? null : checkpoint.syncedUntil;
      const until = new Date(
        Math.floor((now().getTime() - (props.settleSeconds ?? 60) * 1000) / 1000) * 1000,
      );
      if (since && until <= since) return;
      // The first pull needs no deleted records; later ones do (queryAll returns them).
      const operation = checkpoint.syncedUntil ? 'queryAll' : 'query';
      const jobId = await startQueryJob(
        client.conn,
        buildSyncQuery(object, props.mapping, since, until),
        operation,
      );
      await startPull(db, sobject, jobId, since, until, fields);
      checkpoint = await readCheckpoint(db, sobject);
    }
    try {
      await pullPages(props, client, budget, checkpoint.jobId!, checkpoint.nextLocator, counts, now);
      return;
    } catch (error) {
      // Results are kept for days, not forever: a job Salesforce no longer has is started again.
      if (attempt > 0 || (error as { errorCode?: string }).errorCode !== 'NOT_FOUND') throw error;
      await dropPull(db, sobject);
      checkpoint = await readCheckpoint(db, sobject);
    }
  }

  async function pullPages(
    p: SyncSalesforceProps,
    c: SalesforceClient,
    b: ApiBudget,
    jobId: string,
    firstLocator: string | null,
    total: PageCounts,
    clock: () => Date,
  ): Promise<void> {
    await waitForQueryJob(c.conn, jobId, p.poll ?? poll);
    let locator = firstLocator;
    for (;;) {
      const page = await fetchResultPage(c.conn, jobId, locator, p.pageSize ?? DEFAULT_PAGE_SIZE);
      const landed = await p.db.transaction(async (tx) => {
        const pageCounts = await landPage({ tx, object, mapping: p.mapping, rows: page.records });
        await advancePull(tx, sobject, page.records.length, page.nextLocator);
        await b.record(tx, c.usage, clock());
        return pageCounts;
      });
      for (const key of Object.keys(total) as (keyof PageCounts)[]) total[key] += landed[key];
      p.onPage?.(sobject, landed);
      if (!page.nextLocator) return;
      locator = page.nextLocator;
    }
  }
}
