/**
 * `signalfit orchestrations …` (docs/orchestrations.md, docs/command-line.md "Orchestrations"):
 * the orchestration use cases, run as the command line's operator (policies.OPERATOR). Files
 * are read relative to the directory the command was run from.
 */
import type { Command } from 'commander';
import type { OrchestrationSchedule, OrchestrationTarget } from '../../domain/orchestrations/types';
import { readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { createOrchestration } from '../../services/orchestrations/createOrchestration';
import { deleteOrchestration } from '../../services/orchestrations/deleteOrchestration';
import { getOrchestration } from '../../services/orchestrations/getOrchestration';
import { listOrchestrations } from '../../services/orchestrations/listOrchestrations';
import type { OrchestrationChange } from '../../services/orchestrations/orchestrationChanges';
import {
  parseOrchestrationInput,
  parseOrchestrationPatch,
} from '../../services/orchestrations/orchestrationInput';
import type { RunView } from '../../services/orchestrations/orchestrationRecords';
import type { OrchestrationView } from '../../services/orchestrations/orchestrationView';
import { updateOrchestration } from '../../services/orchestrations/updateOrchestration';
import { runCommand } from '../failure';
import { readJsonFile } from '../jsonFile';
import { formatTable } from '../table';
import { registerOrchestrationRunCommands } from './orchestrationRuns';

const withConfiguredStore = <T>(work: Parameters<typeof withStore<T>>[1]) => withStore(readConfig(), work);

/** Adds the `orchestrations` command group: its definitions here, its runs from orchestrationRuns.ts. */
export function registerOrchestrationCommands(program: Command): void {
  const group = program
    .command('orchestrations')
    .description('acquire contacts for a segment, or push its people to a target (docs/orchestrations.md)');
  group
    .command('create')
    .description('create an orchestration; prints its id')
    .requiredOption(
      '--file <o.json>',
      'the orchestration: {name, goal, segment, provider?, target, filters?, …}',
    )
    .action(createOrchestrationCommand);
  group
    .command('update')
    .description('change an orchestration: each field of the file replaces the stored one')
    .argument('<name|id>', 'the orchestration')
    .requiredOption('--file <patch.json>', 'the fields to change')
    .action(updateOrchestrationCommand);
  group
    .command('delete')
    .description('delete an orchestration and its runs (its history of changes and its purchases stay)')
    .argument('<name|id>', 'the orchestration')
    .action(deleteOrchestrationCommand);
  group
    .command('list')
    .description('every orchestration: name, goal, segment, target, schedule, state, last run, next run')
    .option('--json', 'print the orchestrations as JSON (the answer of GET /api/orchestrations)')
    .action(listOrchestrationsCommand);
  group
    .command('show')
    .description("an orchestration's definition and its history of changes")
    .argument('<name|id>', 'the orchestration')
    .option('--json', 'print it as JSON (the answer of GET /api/orchestrations/:id)')
    .action(showOrchestrationCommand);
  registerOrchestrationRunCommands(group);
}

/** `orchestrations create --file <o.json>`: prints the new orchestration's id, nothing else. */
export function createOrchestrationCommand(options: { file: string }): Promise<void> {
  return runCommand(async () => {
    const input = parseOrchestrationInput(readJsonFile(options.file), options.file);
    const created = await withConfiguredStore((db) =>
      createOrchestration({ db, actor: OPERATOR, input, now: new Date() }),
    );
    process.stdout.write(`${created.id}\n`);
  });
}

/** `orchestrations update <name|id> --file <patch.json>`. */
export function updateOrchestrationCommand(ref: string, options: { file: string }): Promise<void> {
  return runCommand(async () => {
    const changes = parseOrchestrationPatch(readJsonFile(options.file), options.file);
    const updated = await withConfiguredStore((db) =>
      updateOrchestration({ db, actor: OPERATOR, ref, changes, now: new Date() }),
    );
    process.stdout.write(
      `updated orchestration ${updated.id} "${updated.name}": version ${updated.version}\n`,
    );
  });
}

/** `orchestrations delete <name|id>`. */
export function deleteOrchestrationCommand(ref: string): Promise<void> {
  return runCommand(async () => {
    const deleted = await withConfiguredStore((db) =>
      deleteOrchestration({ db, actor: OPERATOR, ref, now: new Date() }),
    );
    process.stdout.write(
      `deleted orchestration ${deleted.id} "${deleted.name}" (its history of changes stays: signalfit orchestrations show ${deleted.id})\n`,
    );
  });
}

/** `orchestrations list [--json]`. */
export function listOrchestrationsCommand(options: { json?: boolean }): Promise<void> {
  return runCommand(async () => {
    const orchestrations = await withConfiguredStore((db) =>
      listOrchestrations({ db, actor: OPERATOR, now: new Date() }),
    );
    if (options.json) {
      process.stdout.write(`${JSON.stringify({ orchestrations }, null, 2)}\n`);
      return;
    }
    if (orchestrations.length === 0) {
      process.stdout.write('no orchestrations (signalfit orchestrations create --file o.json)\n');
      return;
    }
    const rows = [
      ['name', 'goal', 'segment', 'target', 'schedule', 'state', 'last run', 'next run'],
      ...orchestrations.map((o) => [
        o.name,
        o.goal,
        o.segment.name,
        targetText(o.target),
        scheduleText(o.schedule),
        o.state,
        lastRunText(o.lastRun),
        o.nextRunAt ? minute(o.nextRunAt) : '–',
      ]),
    ];
    process.stdout.write(`${formatTable(rows)}\n`);
  });
}

/** `orchestrations show <name|id> [--json]`: the definition, then every change, oldest first. */
export function showOrchestrationCommand(ref: string, options: { json?: boolean }): Promise<void> {
  return runCommand(async () => {
    const shown = await withConfiguredStore((db) =>
      getOrchestration({ db, actor: OPERATOR, ref, now: new Date() }),
    );
    process.stdout.write(
      options.json ? `${JSON.stringify(shown, null, 2)}\n` : describe(shown.orchestration, shown.changes),
    );
  });
}

function describe(o: OrchestrationView, changes: OrchestrationChange[]): string {
  const json = (value: object) => (Object.keys(value).length === 0 ? '–' : JSON.stringify(value));
  const definition = formatTable([
    ['goal', o.goal],
    ['segment', `${o.segment.name} (id ${o.segment.id})`],
    ['provider', o.provider ? `${o.provider.name} (id ${o.provider.id})` : '–'],
    ['target', targetText(o.target)],
    ['filters', json(o.filters)],
    ['audience', json(o.audience)],
    ['schedule', scheduleText(o.schedule)],
    ['cooldown', `${o.cooldownDays} days`],
    ['owner', o.owner ?? '–'],
    ['state', o.state],
    ['last run', lastRunText(o.lastRun)],
    ['next run', o.nextRunAt ? minute(o.nextRunAt) : '–'],
  ]);
  const history = formatTable([
    ['version', 'action', 'by', 'at'],
    ...changes.map((c) => [String(c.version), c.action, c.changedBy ?? '–', minute(c.changedAt)]),
  ]);
  return `orchestration ${o.id} "${o.name}", version ${o.version}\n${definition}\n\nchanges (values: --json)\n${history}\n`;
}

function targetText(target: OrchestrationTarget): string {
  if (target.type === 'salesforce_campaign')
    return `Salesforce campaign ${target.campaignId} (new ${target.create}s)`;
  if (target.type === 'outreach_sequence') return `Outreach sequence ${target.sequenceId}`;
  return 'CSV download';
}

function scheduleText(schedule: OrchestrationSchedule): string {
  return typeof schedule === 'string' ? schedule : `weekly on ${schedule.weekly}`;
}

function lastRunText(run: RunView | null): string {
  return run ? `${run.state} ${minute(run.finishedAt ?? run.startedAt ?? run.queuedAt)}` : '–';
}

/** An ISO instant as `YYYY-MM-DD HH:MM UTC`. */
const minute = (iso: string) => `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
