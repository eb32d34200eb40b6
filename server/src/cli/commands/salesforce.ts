import { readConfig, salesforceJob, withStore } from '../../main';
import type { SyncReport } from '../../services/salesforce/syncSalesforce';
import type { WritebackReport } from '../../services/salesforce/writebackSalesforce';
import { runSalesforceSync, runSalesforceWriteback } from '../../services/salesforce/runSalesforceJobs';
import { reportFailure } from '../failure';
import { createProgress } from '../progress';

const n = (value: number) => value.toLocaleString('en-US');

/** `signalfit sync salesforce`: pulls what changed since the last run (everything the first time). */
export async function syncCommand(): Promise<void> {
  try {
    const config = readConfig();
    const progress = createProgress();
    const started = Date.now();
    const read = new Map<string, number>();
    const report = await withStore(config, (db) => {
      const job = salesforceJob(config, db, 'manual');
      return runSalesforceSync({
        ...job,
        onPage: (sobject, counts) => {
          read.set(sobject, (read.get(sobject) ?? 0) + counts.read);
          progress.update(`syncing ${sobject}`, read.get(sobject)!, null, 'records');
        },
      });
    });
    progress.done();
    process.stdout.write(formatSyncReport(report, (Date.now() - started) / 1000));
  } catch (error) {
    reportFailure(error);
  }
}

/** `signalfit writeback salesforce`: writes the changed scores into the Signalfit fields. */
export async function writebackCommand(): Promise<void> {
  try {
    const config = readConfig();
    const started = Date.now();
    const report = await withStore(config, (db) =>
      runSalesforceWriteback(salesforceJob(config, db, 'manual')),
    );
    process.stdout.write(formatWritebackReport(report, (Date.now() - started) / 1000));
  } catch (error) {
    reportFailure(error);
  }
}

function usage(report: { apiCalls: number }, org: { used: number; limit: number } | null): string {
  return `${n(report.apiCalls)} API calls${org ? ` (org usage ${n(org.used)} of ${n(org.limit)} today)` : ''}`;
}

export function formatSyncReport(report: SyncReport, seconds: number): string {
  const lines = Object.entries(report.objects).map(
    ([sobject, c]) =>
      `  ${sobject.padEnd(15)} ${n(c.read)} read: ${n(c.inserted)} new, ${n(c.updated)} updated, ` +
      `${n(c.deleted)} deleted, ${n(c.rejected)} rejected, ${n(c.ignored)} ignored`,
  );
  const total = Object.values(report.objects).reduce((sum, c) => sum + c.read, 0);
  const end =
    report.status === 'paused'
      ? `sync paused: ${report.reason}; the next run resumes from its checkpoint`
      : `synced ${n(total)} records from Salesforce`;
  const segments = report.segmentsRefreshed ? 'segment members updated for the current score run\n' : '';
  return `${lines.join('\n')}\n${end} in ${seconds.toFixed(1)} s, ${usage(report, report.orgApiUsage)}\n${segments}`;
}

export function formatWritebackReport(report: WritebackReport, seconds: number): string {
  const lines = Object.entries(report.objects).map(
    ([sobject, c]) =>
      `  ${sobject.padEnd(8)} ${n(c.sent)} sent: ${n(c.updated)} updated, ${n(c.failed)} failed`,
  );
  const errors = Object.entries(report.errors).map(([code, count]) => `  ${code}: ${n(count)}`);
  if (errors.length > 0) lines.push('refused by Salesforce (sent again on the next run):', ...errors);
  if (report.recoveredJobs > 0) lines.push(`  finished ${report.recoveredJobs} job(s) of an interrupted run`);
  const sent = Object.values(report.objects).reduce((sum, c) => sum + c.sent, 0);
  const end =
    report.status === 'paused'
      ? `write-back paused: ${report.reason}; the next run goes on`
      : sent === 0
        ? 'no score changed since the last write-back: nothing sent'
        : `wrote ${n(sent)} changed rows back to Salesforce`;
  return `${lines.join('\n')}\n${end} in ${seconds.toFixed(1)} s, ${n(report.apiCalls)} API calls\n`;
}
