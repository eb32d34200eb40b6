/**
 * `signalfit audit` (docs/command-line.md "Audit log", docs/audit-log.md): the audit log, newest
 * first, read as the command line's operator (policies.OPERATOR, an Admin).
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { allAudit, type AuditFilters, type AuditView } from '../../services/audit/listAudit';
import { parseDayOption } from '../dates';
import { reportFailure } from '../failure';
import { formatTable } from '../table';

/** Entries shown when --limit is not given. */
export const DEFAULT_CLI_LIMIT = 100;

interface AuditOptions {
  since?: string;
  until?: string;
  action?: string;
  actor?: string;
  limit?: number;
  json?: boolean;
}

export function registerAuditCommands(program: Command): void {
  program
    .command('audit')
    .description(
      'the audit log, newest first: who changed or sent what, when, with counts (docs/audit-log.md)',
    )
    .option('--since <date>', 'entries from this day on, YYYY-MM-DD (UTC)')
    .option('--until <date>', 'entries up to and including this day, YYYY-MM-DD (UTC)')
    .option('--action <action>', 'one action (segment.publish) or every action of a thing (segment)')
    .option('--actor <who>', 'entries of this actor: an email, an API key name, "command line", "schedule"')
    .option('--limit <n>', `at most this many entries (default ${DEFAULT_CLI_LIMIT})`, positiveCount)
    .option('--json', 'print a JSON array of entries (as GET /api/audit answers them)')
    .action(auditCommand);
}

export async function auditCommand(options: AuditOptions): Promise<void> {
  try {
    const filters: AuditFilters = {
      since: options.since === undefined ? undefined : parseDayOption('--since', options.since),
      until:
        options.until === undefined
          ? undefined
          : new Date(parseDayOption('--until', options.until).getTime() + 86_400_000),
      action: options.action,
      actor: options.actor,
    };
    const limit = options.limit ?? DEFAULT_CLI_LIMIT;
    const entries = await withStore(readConfig(), async (db) => {
      const found: AuditView[] = [];
      for await (const page of allAudit(db, OPERATOR, filters)) {
        found.push(...page.slice(0, limit - found.length));
        if (found.length >= limit) break;
      }
      return found;
    });
    if (options.json) process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
    else process.stdout.write(formatAudit(entries));
  } catch (error) {
    reportFailure(error);
  }
}

/** The entries as a table: when (UTC), who, action, summary, counts. */
export function formatAudit(entries: readonly AuditView[]): string {
  if (entries.length === 0) return 'no audit entries\n';
  const rows = entries.map((e) => [
    `${e.at.slice(0, 19).replace('T', ' ')}Z`,
    e.actor,
    e.action,
    e.summary,
    Object.entries(e.counts)
      .map(([name, value]) => `${name}=${value}`)
      .join(' '),
  ]);
  return `${formatTable([['when', 'who', 'action', 'summary', 'counts'], ...rows])}\n`;
}

function positiveCount(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number, 1 or more');
  return Number(value);
}
