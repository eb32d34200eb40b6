/**
 * The `signalfit` command line (a stable contract: docs/command-line.md). Every command
 * exits non-zero with a one-line reason on failure.
 */
import { Argument, Command, InvalidArgumentError, Option } from 'commander';
import { ALERT_EVENTS } from '../domain/segments/definition';
import { alertsAddCommand, alertsListCommand } from './commands/alerts';
import { VERSION } from '../main';
import { creditsCommand, setCreditsCommand } from './commands/credits';
import { demoCommand } from './commands/demo';
import { importCommand } from './commands/import';
import { rotateKeysCommand } from './commands/keys';
import { segmentPerformanceCommand } from './commands/reports';
import { syncCommand, writebackCommand } from './commands/salesforce';
import { backtestCommand, exportCommand, scoreCommand } from './commands/score';
import {
  createSegmentCommand,
  listSegmentsCommand,
  publishSegmentCommand,
  segmentMembersCommand,
  unpublishSegmentCommand,
  updateSegmentCommand,
  uploadSegmentCommand,
} from './commands/segments';
import { registerOrchestrationCommands } from './commands/orchestrations';
import { registerOptOutCommands } from './commands/optouts';
import { registerAuditCommands } from './commands/audit';
import { addProviderCommand, listProvidersCommand } from './commands/providers';
import { registerModelInsights } from './commands/reportModelInsights';
import { registerUserCommands } from './commands/users';
import { registerApiKeyCommands } from './commands/apikeys';
import { reportFailure } from './failure';
import { registerRetentionCommands } from './commands/retention';
import { registerOffboardCommands } from './commands/offboard';
import { registerModelCommands } from './commands/models';

export function buildProgram(): Command {
  const program = new Command('signalfit')
    .description('Signalfit: account intelligence for Salesforce, self-hosted.')
    .version(VERSION)
    // A usage error is one line, like every other failure: `signalfit: <reason>`.
    .configureOutput({
      outputError: (text, write) =>
        write(
          `signalfit: ${text
            .replace(/^error: /, '')
            .trim()
            .replace(/\s*\n\s*/g, ' ')} (see signalfit --help)\n`,
        ),
    });

  program
    .command('import')
    .description('import the canonical CSV files of a folder (any subset); prints counts and rejected rows')
    .argument(
      '<dir>',
      'folder with accounts.csv, contacts.csv, opportunities.csv, activities.csv, keywords.csv',
    )
    .option('--report-dir <dir>', 'where rejected-<file>.csv and import-summary.json go (default: <dir>)')
    .action(importCommand);

  program
    .command('score')
    .description(
      'score every account and person with the active model versions (a store without models trains first); kept as a dated run',
    )
    .option('--as-of <date>', 'score as of this day, YYYY-MM-DD: only facts before it count (default today)')
    .action(scoreCommand);

  program
    .command('export')
    .description('write account_scores.csv and contact_scores.csv of the current run (scores first if none)')
    .argument('<dir>', 'folder to write to (created when missing)')
    .option('--as-of <date>', 'the run of this day, YYYY-MM-DD (scored first when the store has none)')
    .action(exportCommand);

  program
    .command('backtest')
    .description('score as of 90 days before the day and measure against what happened in those 90 days')
    .option('--as-of <date>', 'the end of the 90 days measured, YYYY-MM-DD (default today)')
    .option('--json', 'print the report as JSON')
    .action(backtestCommand);

  program
    .command('serve')
    .description('run the HTTP service (PORT, default 3000)')
    .option('--demo-if-empty', 'fill an empty store with the generated demo market first')
    .action((options: { demoIfEmpty?: boolean }) => serveCommandModule().serveCommand(options));

  program
    .command('demo')
    .description('fill an empty store with a generated demo market')
    .option(
      '--accounts <n>',
      'number of accounts (1 to 1,000,000; default SIGNALFIT_DEMO_ACCOUNTS or 1000)',
      positiveInt,
    )
    .option(
      '--seed <n>',
      'random seed: the same seed gives the same market (default SIGNALFIT_DEMO_SEED or 42)',
      positiveInt,
    )
    .option(
      '--csv <dir>',
      'write the market as canonical CSV files (and demo_truth.csv) to <dir> instead of the store',
    )
    .option('--end-date <date>', 'the market\'s "today" (YYYY-MM-DD, default today)')
    .option(
      '--shape <file.json>',
      "the market's shape: seller kind, buying share, cycle length, noise research, size mix, committee engagement (default: the original market)",
    )
    .action(demoCommand);

  program
    .command('sync')
    .description('pull what changed in Salesforce since the last sync (everything the first time)')
    .addArgument(new Argument('<system>', 'the system to pull from').choices(['salesforce']))
    .action(syncCommand);

  program
    .command('writeback')
    .description('write the changed scores into the Signalfit fields of Salesforce')
    .addArgument(new Argument('<system>', 'the system to write to').choices(['salesforce']))
    .action(writebackCommand);

  program
    .command('keys')
    .description("manage the service's own keys")
    .command('rotate')
    .description('sign new access tokens with a new key; tokens of the previous one expire on their own')
    .option(
      '--discard-previous',
      'delete the previous keys now (a suspected leak, or a lost SIGNALFIT_SECRET_KEY)',
    )
    .action(rotateKeysCommand);

  const segments = program.command('segments').description('the stored segments (docs/segments.md)');
  segments
    .command('create')
    .description('create a filter or CRM segment; prints its id')
    .requiredOption(
      '--file <segment.json>',
      'the segment: {name, folder?, tags?, description?, kind?, definition}',
    )
    .action(createSegmentCommand);
  segments
    .command('update')
    .description("change a segment's name, description, folder, tags or definition")
    .argument('<name|id>', 'the segment')
    .requiredOption('--file <segment.json>', 'the fields to change')
    .action(updateSegmentCommand);
  segments
    .command('upload')
    .description('make or replace a list segment from a CSV of account_id or domain; unmatched rows reported')
    .argument('<name>', "the list segment's name (made when new)")
    .argument('<file.csv>', 'a header naming account_id or domain, then one row per account (up to 100,000)')
    .option('--folder <folder>', "the segment's folder")
    .option('--append', 'add to the list instead of replacing it')
    .option(
      '--report-dir <dir>',
      "where unmatched.csv (line, value, reason) goes (default: the CSV's folder)",
    )
    .action(uploadSegmentCommand);
  segments
    .command('list')
    .description('every segment: name, id, kind, folder, tags, count, published')
    .option('--json', 'print the segments as JSON')
    .action(listSegmentsCommand);
  segments
    .command('members')
    .description("a segment's members (account_id per line, with a header)")
    .argument('<name|id>', 'the segment')
    .option(
      '--as-of <date>',
      'the membership the latest complete run on or before this day recorded (YYYY-MM-DD)',
    )
    .option('--out <file.csv>', 'write to this file instead of stdout')
    .action(segmentMembersCommand);
  segments
    .command('publish')
    .description("write the segment's name into its members' Signalfit_Segments__c at the next write-back")
    .argument('<name|id>', 'the segment')
    .action(publishSegmentCommand);
  segments
    .command('unpublish')
    .description('remove the name from Salesforce at the next write-back')
    .argument('<name|id>', 'the segment')
    .action(unpublishSegmentCommand);

  registerOrchestrationCommands(program);
  registerOptOutCommands(program);
  registerAuditCommands(program);

  const reports = program
    .command('report')
    .description('reports over the dated score runs (docs/reports.md)');
  reports
    .command('segment-performance')
    .description('buying-stage or engagement analysis of segments between two timeframes')
    .requiredOption('--segment <names>', 'segment names or ids, comma-separated (the cohort is their union)')
    .addOption(new Option('--type <type>', 'the analysis').choices(['stage', 'engagement']).default('stage'))
    .option('--baseline <months>', 'YYYY-MM or YYYY-MM..YYYY-MM (default: two months ago)')
    .option('--analysis <months>', 'YYYY-MM or YYYY-MM..YYYY-MM, after the baseline (default: last month)')
    .addOption(
      new Option('--cohort <when>', 'whose members: today, or at the close of a timeframe')
        .choices(['today', 'baseline', 'analysis'])
        .default('analysis'),
    )
    .option('--exclude-zero-amount', 'drop opportunities with a blank or zero amount')
    .option('--exclude-irrelevant', 'drop opportunities that are not relevant')
    .addOption(new Option('--json', 'print the report as JSON').conflicts('out'))
    .option('--out <dir>', 'write summary.csv, distribution.csv, movement.csv, activities.csv here')
    .action(segmentPerformanceCommand);
  registerModelInsights(reports);
  // Model versions (issue 17).
  registerModelCommands(program);

  const alerts = program.command('alerts').description("segment alerts to Slack and the app's alert list");
  alerts
    .command('add')
    .description('subscribe to the alerts of a segment; prints the subscription id (docs/alerts.md)')
    .requiredOption('--segment <name>', 'the segment, by name or id')
    .addOption(
      new Option('--event <event>', 'what to be told about').choices([...ALERT_EVENTS]).makeOptionMandatory(),
    )
    .option(
      '--slack-webhook <url>',
      'the Slack incoming webhook (https; http only on localhost); without it, the in-app list only',
    )
    .addOption(
      new Option('--digest <when>', 'one message a day instead of one per run').choices([
        'daily',
        'immediate',
      ]),
    )
    .action(alertsAddCommand);
  alerts
    .command('list')
    .description('the alert subscriptions (webhooks masked) and the alerts of the last 30 days')
    .option('--json', 'print subscriptions and recent alerts as JSON (the shape of GET /api/alerts)')
    .action(alertsListCommand);

  const providers = program
    .command('providers')
    .description('the contact-data providers orchestrations buy from (docs/providers.md)');
  providers
    .command('add')
    .description('add a provider; for csv, checks the file and reports every bad row (line: reason)')
    .requiredOption('--name <name>', "the provider's name (unique, any case)")
    .addOption(
      new Option('--type <type>', 'csv: a folder with provider_contacts.csv; http: an adapter')
        .choices(['csv', 'http'])
        .makeOptionMandatory(),
    )
    .option('--dir <dir>', 'csv: the folder holding provider_contacts.csv (relative to here)')
    .option('--url <url>', "http: the adapter's base URL (POST <url>/search, <url>/purchase)")
    .option('--token-env <VAR>', 'http: the environment variable holding the bearer token (stored encrypted)')
    .action(addProviderCommand);
  providers
    .command('list')
    .description('every provider: name, id, type, folder or URL, added')
    .option('--json', 'print the providers as JSON')
    .action(listProvidersCommand);
  const credits = program
    .command('credits')
    .description('the credit balance of contact purchases in the current period')
    .option(
      '--json',
      'print { allowance, used, balance, overage, period, periodStart, periodEnd, allowOverage }',
    )
    .action(creditsCommand);
  credits
    .command('set')
    .description('set the credits contact purchases may use per period')
    .requiredOption('--allowance <n>', 'credits per period (0 or more)', nonNegativeNumber)
    .addOption(new Option('--period <period>', 'the period the allowance is for').choices(['month']))
    .option('--allow-overage', 'let purchases go on past the allowance (counted as overage)')
    .option('--no-allow-overage', 'stop buying when the balance would go below 0 (the default)')
    .action(setCreditsCommand);

  registerUserCommands(program);
  registerApiKeyCommands(program);
  // Retention and offboarding (issue 18).
  registerRetentionCommands(program);
  registerOffboardCommands(program);

  return program;
}

/**
 * The `serve` command's module, loaded when that command runs: it wires the HTTP app, which no
 * other command needs (they start a second sooner without it).
 */
function serveCommandModule(): typeof import('./commands/serve') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('./commands/serve');
}

function nonNegativeNumber(value: string): number {
  if (!/^\d+(\.\d+)?$/.test(value)) throw new InvalidArgumentError('expected a number of credits, 0 or more');
  return Number(value);
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value) || Number(value) < 0) throw new InvalidArgumentError('expected a whole number');
  return Number(value);
}

/** Runs the command line; the `signalfit` bin calls this. */
export function run(argv: string[]): void {
  buildProgram().parseAsync(argv).catch(reportFailure);
}
