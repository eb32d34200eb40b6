import { isAppError } from '../errors';

/** Ends the command with the one-line reason on stderr and exit code 1. */
export function reportFailure(error: unknown): never {
  const message = isAppError(error) || error instanceof Error ? error.message : String(error);
  process.stderr.write(`signalfit: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  if (process.env.SIGNALFIT_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(1);
}

/** Runs a command's work; any failure ends the command as reportFailure says. */
export async function runCommand(work: () => Promise<void>): Promise<void> {
  try {
    await work();
  } catch (error) {
    reportFailure(error);
  }
}
