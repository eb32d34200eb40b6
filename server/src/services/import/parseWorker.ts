/**
 * Worker-thread entry: parses and checks one CSV file (parseCsvFile) and posts its events to
 * the importing thread, which meanwhile feeds the database. At most a few batches wait
 * unconsumed: the worker pauses until the importing thread acknowledges one.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CanonicalEntity } from '../../domain/canonical';
import { isAppError } from '../../errors';
import { IMPORT_FORMATS } from './formats';
import { parseCsvFile } from './parseCsvFile';

export interface ParseWorkerData {
  entity: CanonicalEntity;
  path: string;
  batchSize: number | undefined;
  knownAccounts: string[] | undefined;
}

export type WorkerMessage =
  | { kind: 'event'; event: import('./parseCsvFile').ParseEvent }
  | { kind: 'end' }
  | { kind: 'error'; message: string; code: string | null };

const MAX_UNACKNOWLEDGED = 3;

async function run(port: NonNullable<typeof parentPort>, data: ParseWorkerData) {
  let unacknowledged = 0;
  let wake: (() => void) | null = null;
  port.on('message', () => {
    unacknowledged -= 1;
    wake?.();
  });
  try {
    const knownAccounts = data.knownAccounts ? new Set(data.knownAccounts) : undefined;
    for await (const event of parseCsvFile(IMPORT_FORMATS[data.entity], data.path, {
      batchSize: data.batchSize,
      knownAccounts,
    })) {
      while (unacknowledged >= MAX_UNACKNOWLEDGED) await new Promise<void>((resolve) => (wake = resolve));
      unacknowledged += 1;
      port.postMessage({ kind: 'event', event } satisfies WorkerMessage);
    }
    port.postMessage({ kind: 'end' } satisfies WorkerMessage);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    port.postMessage({
      kind: 'error',
      message,
      code: isAppError(error) ? error.code : null,
    } satisfies WorkerMessage);
  } finally {
    port.close();
  }
}

if (parentPort) void run(parentPort, workerData as ParseWorkerData);
