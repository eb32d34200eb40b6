import { AppError } from '../../errors';
import {
  abortIngestJob,
  ingestResults,
  openIngestJob,
  readIngestJob,
  uploadAndClose,
  waitForIngestJob,
  type IngestOperation,
  type IngestPoll,
} from '../../integrations/salesforce/bulkIngest';
import type { SalesforceClient } from '../../integrations/salesforce/client';
import type { Db } from '../../store/db';

/**
 * One step of a Salesforce push (create the people, add the campaign members, remove members) as
 * one Bulk API 2.0 ingest job, recorded so that a crash at any point is finished by the next call
 * instead of sending the rows again:
 *
 * 1. the job is opened, then its id and what each row stands for (`sent`: the row's match value
 *    and the person key) are committed to salesforce_push_jobs (scope, step) before any row is
 *    uploaded;
 * 2. the rows are uploaded and the job closed; Salesforce processes it;
 * 3. once it ended, its successful and failed results are read and `record` writes what landed
 *    in the same transaction that deletes the job row.
 *
 * A call that finds a job row for its (scope, step) finishes that job first: an Open job (the
 * upload may or may not have arrived, it was never closed, so nothing of it was applied) is
 * aborted; a closed one is waited for and its results recorded. Only then are the missing rows
 * sent. Salesforce keeps jobs for 7 days: a job it no longer knows is forgotten.
 */
export type PushStep = 'people' | 'members' | 'remove';

/** A finished job: what Salesforce says of it and which person keys each match value stands for. */
export interface FinishedJob {
  jobId: string;
  object: string;
  state: string;
  errorMessage: string | null;
  successful: Record<string, string>[];
  failed: Record<string, string>[];
  keysOf: (match: string) => string[];
}

/** Writes what a finished job did (created people, memberships, removals), inside the job's transaction. */
export type RecordJob = (tx: Db, job: FinishedJob) => Promise<void>;

interface StepProps {
  db: Db;
  client: SalesforceClient;
  scope: string;
  step: PushStep;
  poll: IngestPoll;
  now: () => Date;
  record: RecordJob;
}

/** Runs one recorded job: `sent` pairs each row's match value (a column it echoes) with a person key. */
export async function runRecordedJob(
  props: StepProps & {
    sobject: string;
    operation: IngestOperation;
    csv: string;
    sent: readonly (readonly [string, string])[];
  },
): Promise<FinishedJob> {
  const { db, client, scope, step } = props;
  const jobId = await salesforce(`opening a Bulk API ${props.operation} job on ${props.sobject}`, () =>
    openIngestJob(client.conn, props.sobject, props.operation),
  );
  // Its own committed write, before any row leaves: a crash from here on is seen by the next call.
  const stored = await db.run(
    `INSERT INTO salesforce_push_jobs (scope, step, job_id, opened_at, sent) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (scope, step) DO NOTHING`,
    [scope, step, jobId, props.now(), JSON.stringify(props.sent)],
  );
  if (stored === 0) {
    await salesforce(`aborting job ${jobId}`, () => abortIngestJob(client.conn, jobId));
    throw new AppError(
      'conflict',
      `Salesforce push ${scope}: another push of its ${step} is under way; wait for it to end and push again`,
    );
  }
  await salesforce(`uploading the rows of job ${jobId}`, () => uploadAndClose(client.conn, jobId, props.csv));
  const finished = await finishJob(props, jobId, props.sent);
  if (finished.state !== 'JobComplete')
    throw new AppError(
      'salesforce_unavailable',
      `Salesforce push ${scope}: Bulk API job ${jobId} (${props.operation} ${props.sobject}) ended ${finished.state}` +
        `${finished.errorMessage ? `: ${finished.errorMessage}` : ''}. The rows it took are recorded; ` +
        'check that the Signalfit package is installed and its Signalfit_Integration permission set assigned, then push again',
      { jobId, state: finished.state },
    );
  return finished;
}

/** Finishes the job an interrupted call left for (scope, step), if any; returns it once recorded. */
export async function finishInterruptedJob(props: StepProps): Promise<FinishedJob | null> {
  const { db, client, scope, step } = props;
  const [pending] = await db.query<{ job_id: string; sent: [string, string][] }>(
    'SELECT job_id, sent FROM salesforce_push_jobs WHERE scope = $1 AND step = $2',
    [scope, step],
  );
  if (!pending) return null;
  const forget = () =>
    db.run('DELETE FROM salesforce_push_jobs WHERE scope = $1 AND step = $2 AND job_id = $3', [
      scope,
      step,
      pending.job_id,
    ]);
  let state: string;
  try {
    state = (await readIngestJob(client.conn, pending.job_id)).state;
  } catch (error) {
    if ((error as { errorCode?: string }).errorCode !== 'NOT_FOUND')
      throw unavailable(`reading job ${pending.job_id}`, error);
    await forget();
    return null;
  }
  if (state === 'Open') {
    // Never closed, so Salesforce applied none of it, whatever part of the upload arrived.
    await salesforce(`aborting job ${pending.job_id}`, () => abortIngestJob(client.conn, pending.job_id));
    await forget();
    return null;
  }
  return finishJob(props, pending.job_id, pending.sent);
}

/** Waits for the job, reads its results, and records them as the job row is deleted. */
async function finishJob(
  props: StepProps,
  jobId: string,
  sent: readonly (readonly [string, string])[],
): Promise<FinishedJob> {
  const { db, client, scope, step } = props;
  const info = await salesforce(`waiting for job ${jobId}`, () =>
    waitForIngestJob(client.conn, jobId, props.poll),
  );
  const results = await salesforce(`reading the results of job ${jobId}`, () =>
    ingestResults(client.conn, jobId),
  );
  const keys = new Map<string, string[]>();
  for (const [match, key] of sent) keys.set(match, [...(keys.get(match) ?? []), key]);
  const finished: FinishedJob = {
    jobId,
    object: info.object,
    state: info.state,
    errorMessage: info.errorMessage,
    ...results,
    keysOf: (match) => keys.get(match) ?? [],
  };
  await db.transaction(async (tx) => {
    await props.record(tx, finished);
    await tx.run('DELETE FROM salesforce_push_jobs WHERE scope = $1 AND step = $2 AND job_id = $3', [
      scope,
      step,
      jobId,
    ]);
  });
  return finished;
}

/** Runs a Salesforce call; a refusal or an unreachable org becomes salesforce_unavailable. */
async function salesforce<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw unavailable(what, error);
  }
}

function unavailable(what: string, error: unknown): AppError {
  if (error instanceof AppError) return error;
  const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return new AppError(
    'salesforce_unavailable',
    `Salesforce ${what} failed (${reason}); the push can be run again: nothing is sent twice`,
  );
}
