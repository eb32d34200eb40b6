import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { AppError, ERROR_CODES, type ErrorCode } from '../../errors';
import type { ImportFormat } from './formats';
import { Inbox } from './inbox';
import type { ParseEvent, ParseOptions } from './parseCsvFile';
import type { ParseWorkerData, WorkerMessage } from './parseWorker';

const WORKER_FILE = path.join(__dirname, 'parseWorker.ts');
/**
 * Plain-JavaScript dependencies the worker loads before tsx's loader is registered: they need no
 * transform, and tsx's checks of every file made loading zod (hundreds of files) cost about
 * 0.4 s of each worker's start.
 */
const PRELOADED = ['zod'].map((name) => require.resolve(name));
/**
 * tsx's CommonJS loader, resolved from this file: the worker's code is evaluated, so a bare
 * require in it would look for tsx from the working directory, where it is not when the command
 * runs from a data folder or as an installed package.
 */
const TSX_LOADER = require.resolve('tsx/cjs');

/**
 * Parses a CSV file in a worker thread (parseCsvFile there) and yields its events here, so that
 * parsing and checking rows runs on one core while this thread feeds the database (PGlite runs
 * on this thread) on the other. Stopping early terminates the worker.
 */
export async function* parseInWorker(
  format: ImportFormat,
  file: string,
  options: ParseOptions = {},
): AsyncGenerator<ParseEvent> {
  const knownAccounts = options.knownAccounts ? [...options.knownAccounts] : undefined;
  const data: ParseWorkerData = {
    entity: format.entity,
    path: file,
    batchSize: options.batchSize,
    knownAccounts,
  };
  // The sources are TypeScript: the worker loads them through the same loader as the CLI.
  const preload = PRELOADED.map((file) => `require(${JSON.stringify(file)});`).join(' ');
  const load = `require(${JSON.stringify(TSX_LOADER)}); require(${JSON.stringify(WORKER_FILE)});`;
  const worker = new Worker(`${preload} ${load}`, {
    eval: true,
    resourceLimits: { maxOldGenerationSizeMb: workerHeapLimitMb(knownAccounts?.length ?? 0) },
    workerData: data,
  });
  const inbox = new Inbox<WorkerMessage | Error>();
  worker.on('message', (message: WorkerMessage) => inbox.push(message));
  worker.on('error', (error) => inbox.push(error));
  worker.on('exit', (code) => {
    if (code !== 0) inbox.push(new Error(`the CSV parser stopped with exit code ${code}`));
  });

  try {
    for (;;) {
      const item = await inbox.take();
      if (item instanceof Error) throw item;
      if (item.kind === 'end') return;
      if (item.kind === 'error') throw new AppError(knownCode(item.code), item.message);
      yield item.event;
      worker.postMessage('ack');
    }
  } finally {
    await worker.terminate();
  }
}

/**
 * The worker's heap cap. Its live data is small (a batch or two and the account ids it checks
 * against), but left uncapped V8 lets garbage pile up to hundreds of MB before collecting, which
 * the embedded store's memory target cannot afford. 128 MB, plus room for the account ids.
 */
function workerHeapLimitMb(accountIds: number): number {
  return 128 + Math.ceil((accountIds * 200) / 1_000_000);
}

function knownCode(code: string | null): ErrorCode {
  return (ERROR_CODES as readonly string[]).includes(code ?? '') ? (code as ErrorCode) : 'import_failed';
}
