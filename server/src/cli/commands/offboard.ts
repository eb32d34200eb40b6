/**
 * `signalfit offboard …` (docs/offboarding.md): export everything, disconnect integrations, write
 * the Salesforce clean-up, delete everything with a signed certificate, verify a certificate. The
 * command line acts as the operator (policies.OPERATOR, an Admin).
 */
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, userInfo } from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { readConfig, salesforceConnector, withStore } from '../../main';
import { OPERATOR } from '../../policies/policies';
import { certificateProblem } from '../../services/offboarding/certificate';
import { clearSalesforceFields } from '../../services/offboarding/clearSalesforceFields';
import { deleteEverything, deletionConfirmWord } from '../../services/offboarding/deleteEverything';
import { disconnectIntegrations } from '../../services/offboarding/disconnectIntegrations';
import { exportEverything } from '../../services/offboarding/exportEverything';
import { writeSalesforceCleanup } from '../../services/offboarding/salesforceCleanup';
import { openStore } from '../../store/openStore';
import { AppError } from '../../errors';
import { runCommand } from '../failure';

const n = (value: number) => value.toLocaleString('en-US');
const say = (line: string) => process.stdout.write(`${line}\n`);

export function registerOffboardCommands(program: Command): void {
  const offboard = program
    .command('offboard')
    .description(
      'leave Signalfit: export, disconnect, clean Salesforce up, delete with a certificate (docs/offboarding.md)',
    );

  offboard
    .command('export')
    .description(
      'every table as CSV in <dir>/signalfit-export-<instance>-<time>.zip, and <dir>/manifest.json',
    )
    .argument('<dir>', 'folder to write to (created when missing)')
    .action((dir: string) =>
      runCommand(async () => {
        const report = await withStore(readConfig(), (db) => exportEverything({ db, dir, actor: OPERATOR }));
        const width = Math.max(...report.manifest.files.map((f) => f.path.length));
        for (const file of report.manifest.files)
          say(`${file.path.padEnd(width)}  ${n(file.rows).padStart(12)} rows  ${file.sha256}`);
        const rows = report.manifest.files.reduce((sum, f) => sum + f.rows, 0);
        say(
          `${n(report.manifest.files.length)} files, ${n(rows)} rows; secrets left out: ${report.manifest.excluded.length} (listed in the manifest)`,
        );
        say(`zip       ${report.zip}`);
        say(`manifest  ${report.manifestPath}`);
        say(`sha256    ${report.zipSha256}`);
      }),
    );

  offboard
    .command('disconnect')
    .description(
      'delete Outreach tokens, stop the Salesforce sync and write-back, remove alert webhooks and provider tokens',
    )
    .action(() =>
      runCommand(async () => {
        const report = await withStore(readConfig(), (db) => disconnectIntegrations({ db, actor: OPERATOR }));
        for (const line of report.done) say(line);
      }),
    );

  offboard
    .command('salesforce-cleanup')
    .description(
      'write <dir>/destructiveChanges.xml and <dir>/package.xml that remove the Salesforce package',
    )
    .argument('<dir>', 'folder to write to (created when missing)')
    .option(
      '--clear-fields',
      'first blank the Signalfit fields of the records the write-back wrote (Bulk API 2.0)',
    )
    .action((dir: string, options: { clearFields?: boolean }) =>
      runCommand(async () => {
        const config = readConfig();
        await withStore(config, async (db) => {
          if (options.clearFields) {
            const connect = salesforceConnector(config);
            if (!connect)
              throw new AppError(
                'config_invalid',
                '--clear-fields needs Salesforce: set SALESFORCE_CLIENT_ID, SALESFORCE_USERNAME and SALESFORCE_PRIVATE_KEY',
              );
            const cleared = await clearSalesforceFields({ db, actor: OPERATOR, connect: () => connect() });
            for (const [sobject, c] of Object.entries(cleared.objects))
              say(`blanked ${sobject}: ${n(c.cleared)} of ${n(c.sent)} records (${n(c.failed)} refused)`);
            for (const error of cleared.errors) say(`error: ${error}`);
          }
          const files = await writeSalesforceCleanup({ db, actor: OPERATOR, dir: path.resolve(dir) });
          for (const [type, members] of Object.entries(files.members)) say(`${type}: ${members.join(', ')}`);
          say(`wrote ${files.packageXml} and ${files.destructiveChangesXml}; run:`);
          say(files.command);
        });
      }),
    );

  offboard
    .command('delete')
    .description('delete every row and table of the store and write ./deletion-certificate.json')
    .option('--confirm <word>', 'the word the command asks for (without it, nothing is deleted)')
    .action((options: { confirm?: string }) => runCommand(() => deleteCommand(options.confirm)));

  offboard
    .command('verify-certificate')
    .description("check a deletion certificate's Ed25519 signature (needs no store or configuration)")
    .argument('<file>', 'the deletion-certificate.json')
    .action((file: string) => verifyCommand(file));
}

async function deleteCommand(confirm: string | undefined): Promise<void> {
  const config = readConfig();
  const db = await openStore(config.store);
  let closed = false;
  try {
    const word = await deletionConfirmWord(db);
    if (confirm !== word) {
      if (confirm !== undefined)
        process.stderr.write('signalfit: the confirmation word does not match; nothing was deleted\n');
      say(`nothing was deleted; confirm with: --confirm ${word}`);
      process.exitCode = 2;
      return;
    }
    const certificate = await deleteEverything({
      db,
      actor: OPERATOR,
      deletedBy: `${userInfo().username}@${hostname()} (command line)`,
      confirm,
    });
    await db.close();
    closed = true;
    if ('dataDir' in config.store) rmSync(config.store.dataDir, { recursive: true, force: true });
    const file = path.resolve('deletion-certificate.json');
    writeFileSync(file, `${JSON.stringify(certificate, null, 2)}\n`);
    for (const table of certificate.tables)
      say(`${table.name}: ${n(table.rows_before)} rows deleted, ${n(table.rows_after)} left`);
    say(
      'dataDir' in config.store
        ? `removed the embedded store ${config.store.dataDir}`
        : 'dropped every Signalfit table (and its schema when not public), the job tables and leases with them',
    );
    say(
      'secrets stored in the database (Outreach tokens, access-token keys, API key hashes, sessions) went with the tables; remove SIGNALFIT_SECRET_KEY, SALESFORCE_PRIVATE_KEY and the other settings from your environment',
    );
    say(`certificate ${file}`);
  } finally {
    if (!closed) await db.close();
  }
}

/** Reads and checks the file only: no store is opened and no configuration read. */
function verifyCommand(file: string): void {
  let problem: string | null;
  try {
    problem = certificateProblem(JSON.parse(readFileSync(file, 'utf8')));
  } catch (error) {
    problem = `cannot read ${file}: ${(error as Error).message}`;
  }
  if (problem) {
    process.stderr.write(`signalfit: certificate not valid: ${problem}\n`);
    process.exitCode = 1;
    return;
  }
  say('valid');
}
