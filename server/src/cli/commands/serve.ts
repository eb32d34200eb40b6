import { readConfig } from '../../main';
import { serve } from '../../service';
import { describeStore } from '../describeStore';
import { accessHelp } from '../../services/session/demoSignIn';
import { createProgress } from '../progress';
import { reportFailure } from '../failure';

export async function serveCommand(options: { demoIfEmpty?: boolean }): Promise<void> {
  try {
    const config = readConfig();
    const progress = createProgress();
    process.stderr.write(`Signalfit ${describeStore(config)}\n`);
    const { server } = await serve(config, {
      demoIfEmpty: options.demoIfEmpty ?? false,
      onGenerateProgress: (done, total) =>
        progress.update('generating the demo market', done, total, 'accounts'),
      onImportProgress: (p) => progress.update(`importing ${p.file}`, p.bytesRead, p.totalBytes, 'bytes'),
      onScoring: () => progress.update('scoring the demo market', 0, 1, 'steps'),
      onDemoSeeded: (report) => {
        progress.done();
        process.stderr.write(
          `Filled the empty store with a demo market: ${report.importedRows.toLocaleString('en-US')} rows in ${report.seconds.toFixed(1)} s; ` +
            `scored ${report.scoring.accounts.toLocaleString('en-US')} accounts as of ${report.scoring.asOf} ` +
            `(${report.scoring.qualified.toLocaleString('en-US')} qualified)\n`,
        );
      },
    });
    process.stderr.write(
      config.demoSignIn.allowed
        ? 'Demo sign-in is on: every visitor of the app is the demo Admin (a local trial on this machine)\n'
        : config.oidc
          ? `Single sign-on: the app signs people in with ${new URL(config.oidc.issuerUrl).host} (docs/sign-in.md)\n`
          : `${accessHelp(config.demoSignIn)}\n`,
    );
    process.stdout.write(`Signalfit is running at ${server.url}\n`);
  } catch (error) {
    reportFailure(error);
  }
}
