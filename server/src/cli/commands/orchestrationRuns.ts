/**
 * `signalfit orchestrations preview|run|history|repush` (docs/orchestration-runs.md): the run
 * side of the `orchestrations` group, run as the command line's operator. `run` and `repush`
 * request the run and execute it in this process, waiting for its end. Files are written
 * relative to the directory the command was run from.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Command, InvalidArgumentError } from 'commander';
import { orchestrationRunDeps, readConfig, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { accountsCsv, candidatesCsv, sampleCsv } from '../../services/orchestrations/candidateFiles';
import { findOrchestration, type RunView } from '../../services/orchestrations/orchestrationRecords';
import { previewOrchestration } from '../../services/orchestrations/previewOrchestration';
import { RUN_STEPS, type RunDeps, type RunStep } from '../../services/orchestrations/runContext';
import { listRuns, runDetail } from '../../services/orchestrations/runHistory';
import { runNow } from '../../services/orchestrations/runOrchestration';
import { reportFailure } from '../failure';

const n = (value: number) => value.toLocaleString('en-US');

async function run(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    reportFailure(error);
  }
}

function runId(value: string): number {
  if (!/^\d+$/.test(value))
    throw new InvalidArgumentError('a run id is a number (see orchestrations history)');
  return Number(value);
}

/**
 * Test-only: SIGNALFIT_TEST_PAUSE_AT=<step> (selected|purchased|pushed) makes a run stop at that
 * step, say so on stderr, and wait there until its process is killed (the crash tests kill it
 * with SIGKILL there). Never set it in a deployment.
 */
function pauseHook(): RunDeps['atStep'] {
  const at = process.env.SIGNALFIT_TEST_PAUSE_AT;
  if (!at || !(RUN_STEPS as readonly string[]).includes(at)) return undefined;
  return async (step: RunStep) => {
    if (step !== at) return;
    process.stderr.write(`paused at ${step}\n`);
    await new Promise(() => setInterval(() => undefined, 60_000));
  };
}

function countsLine(view: RunView): string {
  const c = view.counts;
  return `purchased ${n(c.purchased)}, pushed ${n(c.pushed)}, skipped ${n(c.skipped)}, failed ${n(c.failed)}`;
}

/** Prints the end of a run; exit 1 with its message when it failed. */
function reportRun(view: RunView, json: boolean | undefined): void {
  if (json)
    process.stdout.write(
      `${JSON.stringify({ id: view.id, state: view.state, counts: view.counts, message: view.message })}\n`,
    );
  else {
    process.stdout.write(`run ${view.id} ${view.state}: ${countsLine(view)}\n`);
    if (view.message && view.state !== 'failed') process.stdout.write(`${view.message}\n`);
  }
  if (view.state === 'failed') {
    process.stderr.write(`signalfit: run ${view.id} failed: ${view.message ?? 'no reason recorded'}\n`);
    process.exit(1);
  }
}

export function previewCommand(ref: string, options: { out?: string }): Promise<void> {
  return run(async () => {
    const config = readConfig();
    await withStore(config, async (db) => {
      const orchestration = await findOrchestration(db, ref);
      const preview = await previewOrchestration({
        db,
        orchestration,
        actor: OPERATOR,
        now: new Date(),
        secretKey: config.secretKey,
      });
      const c = preview.counts;
      const skipped = Object.entries(c.skipped)
        .filter(([, count]) => count > 0)
        .map(([reason, count]) => `${reason} ${n(count)}`);
      process.stdout.write(
        `${orchestration.name}: ${n(c.accounts)} accounts, ${n(c.accountsWithCandidates)} with candidates; ` +
          `${n(c.candidates)} candidates, ${n(c.toBuy)} to ${orchestration.goal === 'acquire_contacts' ? 'buy' : 'push'}` +
          (orchestration.goal === 'acquire_contacts' ? ` for ${n(c.cost)} credits` : '') +
          `${skipped.length ? `; skipped: ${skipped.join(', ')}` : ''}\n`,
      );
      if (preview.credits) {
        process.stdout.write(
          `credits: ${n(preview.credits.balance)} left of ${n(preview.credits.allowance)} this ${preview.credits.period}` +
            `${preview.credits.allowOverage ? ' (overage allowed)' : ''}\n`,
        );
      }
      if (options.out) {
        const dir = path.resolve(options.out);
        mkdirSync(dir, { recursive: true });
        writeFileSync(path.join(dir, 'preview.csv'), sampleCsv(preview, orchestration.goal));
        writeFileSync(
          path.join(dir, 'candidates.csv'),
          candidatesCsv(orchestration.goal, preview.candidates),
        );
        writeFileSync(path.join(dir, 'accounts.csv'), accountsCsv(preview.accounts));
        process.stdout.write(`wrote preview.csv, candidates.csv and accounts.csv to ${dir}\n`);
      }
    });
  });
}

export function runCommand(ref: string, options: { json?: boolean }): Promise<void> {
  return run(async () => {
    const config = readConfig();
    const view = await withStore(config, async (db) => {
      const orchestration = await findOrchestration(db, ref);
      const deps = { ...orchestrationRunDeps(config, db), atStep: pauseHook() };
      return runNow(deps, { orchestration, trigger: 'manual', actor: OPERATOR });
    });
    reportRun(view, options.json);
  });
}

export function repushCommand(ref: string, options: { run?: number; json?: boolean }): Promise<void> {
  return run(async () => {
    const config = readConfig();
    const view = await withStore(config, async (db) => {
      const orchestration = await findOrchestration(db, ref);
      const deps = { ...orchestrationRunDeps(config, db), atStep: pauseHook() };
      return runNow(deps, {
        orchestration,
        trigger: 'repush',
        actor: OPERATOR,
        repushOf: options.run ?? null,
      });
    });
    reportRun(view, options.json);
  });
}

export function historyCommand(ref: string, options: { run?: number; json?: boolean }): Promise<void> {
  return run(async () => {
    await withStore(readConfig(), async (db) => {
      const orchestration = await findOrchestration(db, ref);
      if (options.run === undefined) {
        const runs = await listRuns(db, orchestration, OPERATOR);
        if (options.json) {
          process.stdout.write(`${JSON.stringify(runs)}\n`);
          return;
        }
        if (runs.length === 0) process.stdout.write(`${orchestration.name} has not run yet\n`);
        for (const r of runs) {
          process.stdout.write(
            `${r.id}\t${r.trigger}\t${r.state}\t${r.queuedAt}\t${countsLine(r)}${r.message ? `\t${r.message}` : ''}\n`,
          );
        }
        return;
      }
      const { run: view, records } = await runDetail({
        db,
        orchestration,
        runId: options.run,
        actor: OPERATOR,
      });
      if (options.json) {
        process.stdout.write(
          `${JSON.stringify(
            records.map((r) => ({
              provider_id: r.provider_id,
              person_id: r.person_id,
              email: r.email,
              account_id: r.account_id,
              outcome: r.outcome,
              reason: r.reason,
              error: r.error,
              target_id: r.target_id,
            })),
          )}\n`,
        );
        return;
      }
      process.stdout.write(`run ${view.id} ${view.state}: ${countsLine(view)}\n`);
      for (const r of records) {
        process.stdout.write(
          `${r.provider_id ?? r.person_id ?? ''}\t${r.email ?? ''}\t${r.outcome}\t${r.reason ?? r.error ?? ''}\t${r.target_id ?? ''}\n`,
        );
      }
    });
  });
}

/** Adds preview, run, history and repush to the `orchestrations` group. */
export function registerOrchestrationRunCommands(group: Command): void {
  group
    .command('preview')
    .description('what a run would buy or push now (buys nothing); counts, and the files with --out')
    .argument('<name>', 'the orchestration (name or id)')
    .option('--out <dir>', 'write preview.csv (≤ 100 rows), candidates.csv and accounts.csv here')
    .action(previewCommand);
  group
    .command('run')
    .description('run the orchestration now and wait for the end (exit 1 when the run fails)')
    .argument('<name>', 'the orchestration (name or id)')
    .option('--json', 'print { id, state, counts: { purchased, pushed, skipped, failed }, message }')
    .action(runCommand);
  group
    .command('history')
    .description("the orchestration's runs, or one run's records")
    .argument('<name>', 'the orchestration (name or id)')
    .option('--run <id>', "one run's records", runId)
    .option('--json', 'print JSON')
    .action(historyCommand);
  group
    .command('repush')
    .description('push again the purchased-not-pushed records and retry the failed ones')
    .argument('<name>', 'the orchestration (name or id)')
    .option('--run <id>', "only this run's records (default: every run's)", runId)
    .option('--json', 'print { id, state, counts, message }')
    .action(repushCommand);
}
