import type { PollOptions } from '../../integrations/salesforce/bulkQuery';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import type { FieldMapping } from '../../integrations/salesforce/fieldMapping';
import type { SyncedSObject } from '../../integrations/salesforce/syncObjects';
import { acquireLease } from '../../jobs/lease';
import { markInterrupted, recordRun } from '../../jobs/runs';
import { AppError } from '../../errors';
import { OPERATOR, SCHEDULER } from '../../policies/policies';
import type { Db } from '../../store/db';
import { SALESFORCE_STOPPED, salesforceStopped } from '../offboarding/offboardingState';
import type { ApiBudget } from './apiBudget';
import type { PageCounts } from './landPage';
import { syncSalesforce, type SyncReport } from './syncSalesforce';
import { writebackSalesforce, type WritebackReport } from './writebackSalesforce';

/** What the sync and the write-back need, built by the composition root. */
export interface SalesforceJobProps {
  db: Db;
  connect: (guard: ApiBudget['guard']) => Promise<SalesforceClient>;
  mapping: FieldMapping;
  budgetPercent: number;
  /** `manual` (the command line) or `schedule`. */
  trigger: string;
  now?: () => Date;
  poll?: PollOptions;
  pageSize?: number;
  onPage?: (sobject: SyncedSObject, counts: PageCounts) => void;
}

/** The one lease both take: a sync and a write-back never run at the same time. */
const LEASE = 'salesforce';

/** Runs the sync under the lease, recorded in job_runs (only while it holds the lease). */
export async function runSalesforceSync(props: SalesforceJobProps): Promise<SyncReport> {
  await refuseWhenStopped(props.db);
  const lease = await acquireLease(props.db, LEASE);
  try {
    await markInterrupted(props.db, 'salesforce_sync');
    await markInterrupted(props.db, 'salesforce_writeback');
    return await recordRun(
      props.db,
      'salesforce_sync',
      props.trigger,
      () => syncSalesforce(props),
      lease.fence,
    );
  } finally {
    await lease.release();
  }
}

/** Runs the write-back under the lease, recorded in job_runs (only while it holds the lease). */
export async function runSalesforceWriteback(props: SalesforceJobProps): Promise<WritebackReport> {
  await refuseWhenStopped(props.db);
  const lease = await acquireLease(props.db, LEASE);
  try {
    await markInterrupted(props.db, 'salesforce_sync');
    await markInterrupted(props.db, 'salesforce_writeback');
    return await recordRun(
      props.db,
      'salesforce_writeback',
      props.trigger,
      () => writebackSalesforce({ ...props, actor: props.trigger === 'schedule' ? SCHEDULER : OPERATOR }),
      lease.fence,
    );
  } finally {
    await lease.release();
  }
}

/** Offboarding stopped both for good (docs/offboarding.md): nothing is pulled or written any more. */
async function refuseWhenStopped(db: Db): Promise<void> {
  if (await salesforceStopped(db)) throw new AppError('conflict', SALESFORCE_STOPPED);
}
