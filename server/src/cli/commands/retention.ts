/**
 * `signalfit retention …` (docs/retention.md): how long each class of data is kept, as the
 * command line's operator (policies.OPERATOR).
 */
import { type Command, InvalidArgumentError } from 'commander';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import {
  getRetention,
  setRetention,
  type RetentionChanges,
  type RetentionSettings,
} from '../../services/retention/retentionSettings';
import { runCommand } from '../failure';

export function registerRetentionCommands(program: Command): void {
  const retention = program
    .command('retention')
    .description(
      'how long activities, outbound logs, score runs and audit entries are kept (docs/retention.md)',
    )
    .option('--json', 'print { activitiesDays, outboundDays, scoreRuns, auditDays } (null: kept)')
    .action((options: { json?: boolean }) =>
      runCommand(async () => {
        const settings = await withStore(readConfig(), (db) => getRetention(db));
        process.stdout.write(
          options.json ? `${JSON.stringify(settings, null, 2)}\n` : formatRetention(settings),
        );
      }),
    );
  retention
    .command('set')
    .description(
      'change classes; the daily job deletes what is older (`keep` or `off` keeps a class for ever)',
    )
    .option('--activities-days <n>', 'activities older than N days', daysOrKeep)
    .option('--outbound-days <n>', 'outbound logs older than N days', daysOrKeep)
    .option('--score-runs <n>', 'score runs beyond the latest N complete ones', daysOrKeep)
    .option('--audit-days <n>', 'audit entries older than N days', daysOrKeep)
    .action((options: Record<string, number | 'keep' | undefined>) =>
      runCommand(async () => {
        // `keep` stands for null: commander turns a parser's null into ''.
        const value = (given: number | 'keep' | undefined) => (given === 'keep' ? null : given);
        const changes: RetentionChanges = {
          activitiesDays: value(options.activitiesDays),
          outboundDays: value(options.outboundDays),
          scoreRuns: value(options.scoreRuns),
          auditDays: value(options.auditDays),
        };
        for (const key of Object.keys(changes) as (keyof RetentionChanges)[])
          if (changes[key] === undefined) delete changes[key];
        if (Object.keys(changes).length === 0)
          throw new InvalidArgumentError(
            'give at least one of --activities-days, --outbound-days, --score-runs, --audit-days',
          );
        const settings = await withStore(readConfig(), (db) =>
          setRetention({ db, actor: OPERATOR, changes }),
        );
        process.stdout.write(formatRetention(settings));
      }),
    );
}

function daysOrKeep(value: string): number | 'keep' {
  if (value === 'keep' || value === 'off') return 'keep';
  if (!/^\d+$/.test(value) || Number(value) < 1)
    throw new InvalidArgumentError('expected a whole number of at least 1, or keep');
  return Number(value);
}

export function formatRetention(settings: RetentionSettings): string {
  const days = (n: number | null) =>
    n === null ? 'kept' : `older than ${n.toLocaleString('en-US')} days deleted`;
  const rows: [string, string][] = [
    ['activities', days(settings.activitiesDays)],
    ['outbound logs', days(settings.outboundDays)],
    [
      'score runs',
      settings.scoreRuns === null
        ? 'kept'
        : `beyond the latest ${settings.scoreRuns.toLocaleString('en-US')} deleted`,
    ],
    ['audit entries', days(settings.auditDays)],
  ];
  const width = Math.max(...rows.map(([label]) => label.length));
  return rows.map(([label, value]) => `${label.padEnd(width)}  ${value}\n`).join('');
}
