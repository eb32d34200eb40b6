/**
 * `signalfit optouts …` (docs/command-line.md "Opt-outs", docs/opt-outs.md): the central opt-out
 * list, as the command line's operator (policies.OPERATOR).
 */
import { createReadStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { AppError } from '../../errors';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { exportOptOuts } from '../../services/optouts/exportOptOuts';
import { importOptOuts } from '../../services/optouts/importOptOuts';
import { addOptOut, listOptOuts, removeOptOut, type OptOutTarget } from '../../services/optouts/optOutList';
import { optOutReport, PUSH_PLACES, type OptOutReport } from '../../services/optouts/optOutReport';
import { PLACE_WORDS } from '../../services/optouts/weeklyOptOutReport';
import { parseDayOption } from '../dates';
import { runCommand } from '../failure';
import { formatTable } from '../table';

const DAY_MS = 86_400_000;

export function registerOptOutCommands(program: Command): void {
  const group = program
    .command('optouts')
    .description('the central opt-out list: addresses and domains nobody sends to (docs/opt-outs.md)');
  group
    .command('import')
    .description(
      'add the rows of a CSV (column email and/or domain); prints counts and each bad row; exit 1 when a row was bad',
    )
    .argument('<file.csv>', 'the file')
    .action(importCommand);
  group
    .command('export')
    .description(
      'write the whole list as CSV (email,domain,source,reason,created_at,created_by); it imports back unchanged',
    )
    .argument('<file.csv>', 'the file to write')
    .action(exportCommand);
  group
    .command('list')
    .description('the list, newest first')
    .option('--search <text>', 'only values containing it')
    .option('--json', 'print the entries as JSON')
    .action(listCommand);
  group
    .command('add')
    .description('add an address (with an @) or a domain')
    .argument('<email-or-domain>', 'jo@acme.com, or acme.com (a domain covers its subdomains)')
    .option('--reason <text>', 'why, for the people who read the list')
    .action(addCommand);
  group
    .command('remove')
    .description("remove an address or a domain from the list (the people's own opt-out flag stays)")
    .argument('<email-or-domain>', 'the entry')
    .action(removeCommand);
  group
    .command('report')
    .description('new opt-outs of a period, and opted-out addresses still in pushed audiences')
    .option('--since <YYYY-MM-DD>', 'first day (UTC; default: 7 days before --until)')
    .option('--until <YYYY-MM-DD>', 'day after the last (UTC; default: now)')
    .option('--json', 'print the report as JSON')
    .action(reportCommand);
}

const targetOf = (text: string): OptOutTarget => (text.includes('@') ? { email: text } : { domain: text });

async function importCommand(file: string): Promise<void> {
  await runCommand(async () => {
    const csv = createReadStream(path.resolve(file), { encoding: 'utf8' }) as AsyncIterable<string>;
    const result = await withStore(readConfig(), (db) => importOptOuts({ db, actor: OPERATOR, csv }));
    const lines = [
      `rows ${result.rows}, added ${result.added}, already listed ${result.already}, bad ${result.bad}`,
      ...result.badRows.map((row) => `line ${row.line}: ${row.reason}`),
    ];
    process.stdout.write(`${lines.join('\n')}\n`);
    // The good rows are kept; a bad row still fails the command, so scripts notice it.
    if (result.bad > 0) process.exitCode = 1;
  });
}

async function exportCommand(file: string): Promise<void> {
  await runCommand(async () => {
    const { csv, entries } = await withStore(readConfig(), (db) => exportOptOuts({ db, actor: OPERATOR }));
    await writeFile(path.resolve(file), csv);
    process.stdout.write(`wrote ${entries} entries to ${file}\n`);
  });
}

async function listCommand(options: { search?: string; json?: boolean }): Promise<void> {
  await runCommand(async () => {
    const entries = await withStore(readConfig(), async (db) => {
      const all = [];
      for (let offset = 0; ; offset += 1000) {
        const page = await listOptOuts({ db, actor: OPERATOR, q: options.search, limit: 1000, offset });
        all.push(...page.entries);
        if (all.length >= page.total || page.entries.length === 0) return all;
      }
    });
    if (options.json) {
      process.stdout.write(`${JSON.stringify(entries, null, 2)}\n`);
      return;
    }
    if (entries.length === 0) {
      process.stdout.write('the opt-out list is empty\n');
      return;
    }
    const rows = [
      ['KIND', 'VALUE', 'SOURCE', 'ADDED', 'BY', 'REASON'],
      ...entries.map((e) => [
        e.kind,
        e.value,
        e.source,
        e.createdAt.slice(0, 10),
        e.createdBy,
        e.reason ?? '',
      ]),
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
  });
}

async function addCommand(value: string, options: { reason?: string }): Promise<void> {
  await runCommand(async () => {
    const { entry, added } = await withStore(readConfig(), (db) =>
      addOptOut({ db, actor: OPERATOR, target: targetOf(value), reason: options.reason }),
    );
    process.stdout.write(
      added ? `added ${entry.kind} ${entry.value}\n` : `already listed: ${entry.kind} ${entry.value}\n`,
    );
  });
}

async function removeCommand(value: string): Promise<void> {
  await runCommand(async () => {
    const entry = await withStore(readConfig(), (db) =>
      removeOptOut({ db, actor: OPERATOR, target: targetOf(value) }),
    );
    process.stdout.write(`removed ${entry.kind} ${entry.value}\n`);
  });
}

async function reportCommand(options: { since?: string; until?: string; json?: boolean }): Promise<void> {
  await runCommand(async () => {
    const until = options.until ? parseDayOption('--until', options.until) : new Date();
    const since = options.since
      ? parseDayOption('--since', options.since)
      : new Date(until.getTime() - 7 * DAY_MS);
    if (since > until) throw new AppError('bad_request', '--since must not be after --until');
    const report = await withStore(readConfig(), (db) => optOutReport({ db, actor: OPERATOR, since, until }));
    process.stdout.write(options.json ? `${JSON.stringify(report, null, 2)}\n` : formatReport(report));
  });
}

/** The report as text: the counts, then the still-present records as a table. */
export function formatReport(report: OptOutReport): string {
  const n = report.newOptOuts;
  const s = report.stillPresent;
  const lines = [
    `period ${report.since} to ${report.until} (end excluded)`,
    `new opt-outs: ${n.listEmails} addresses and ${n.listDomains} domains on the list, ${n.people} people flagged opted out`,
    ...n.flagged.map((p) => `  ${p.kind} ${p.id} ${p.email ?? '(no email)'} flagged ${p.optedOutAt}`),
    `still in pushed audiences: ${s.total}`,
    ...PUSH_PLACES.filter((p) => s.byPlace[p] > 0).map((p) => `  ${PLACE_WORDS[p]}: ${s.byPlace[p]}`),
  ];
  if (s.records.length > 0)
    lines.push(
      formatTable([
        ['EMAIL', 'WHERE', 'TARGET', 'PUSHED', 'WHY'],
        ...s.records.map((r) => [r.email, r.place, r.target ?? '', r.pushedAt.slice(0, 10), r.why]),
      ]),
    );
  return `${lines.join('\n')}\n`;
}
