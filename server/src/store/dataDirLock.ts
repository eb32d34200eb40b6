import { linkSync, mkdirSync, readFileSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { AppError } from '../errors';

/**
 * One process at a time per embedded store: PGlite has no shared-memory coordination, so two
 * processes writing one data folder corrupt it. The folder holds a lock file naming its holder;
 * it is created atomically (a hard link of a fully written file, which fails when the lock
 * exists), so a reader never sees half a lock.
 *
 * Written here rather than with a lock library: the known ones (proper-lockfile) judge a lock
 * stale by its age, which needs a timer refreshing it and cannot name the holder. A holder is
 * judged by its process instead: on this host, a process id that no longer exists (killed, crashed)
 * is stale and is taken over at once.
 */
export const LOCK_FILE = 'signalfit.lock';

export interface LockHolder {
  pid: number;
  hostname: string;
  command: string;
  since: string;
}

export interface DataDirLock {
  readonly file: string;
  /** Removes the lock if it is still this process's; idempotent. */
  release(): void;
}

/** Locks held by this process, released when it exits normally (a close that never came). */
const held = new Set<DataDirLock>();
let exitHookInstalled = false;

export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, LOCK_FILE);
  const me: LockHolder = {
    pid: process.pid,
    hostname: hostname(),
    command: commandLine(),
    since: new Date().toISOString(),
  };
  const content = JSON.stringify(me);
  // A stale lock is moved away, then the lock is taken again (unless another process was faster).
  for (let attempt = 0; attempt < 3; attempt++) {
    if (createExclusive(file, content)) return hold(file, content);
    const current = readLock(file);
    if (current === 'missing') continue; // released meanwhile
    if (current === 'unreadable') {
      throw new AppError(
        'store_locked',
        `the embedded store in ${dataDir} has a lock file that cannot be read (${file}): if no Signalfit process uses this folder, delete that file`,
      );
    }
    if (!isStale(current.holder)) throw lockedError(dataDir, file, current.holder);
    takeOverStale(file, current.raw);
  }
  throw new AppError(
    'store_locked',
    `could not lock the embedded store in ${dataDir}: other processes keep taking it`,
  );
}

function hold(file: string, content: string): DataDirLock {
  const lock: DataDirLock = {
    file,
    release() {
      if (!held.delete(lock)) return;
      const current = readLock(file);
      // Only our own lock: a lock taken over after ours went stale is someone else's.
      if (typeof current === 'object' && current.raw === content) unlinkQuietly(file);
    },
  };
  held.add(lock);
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const lock of [...held]) lock.release();
    });
  }
  return lock;
}

/** Writes the whole content to a private file, then links it to `file`: fails (false) when `file` exists. */
function createExclusive(file: string, content: string): boolean {
  const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  writeFileSync(temp, content, { flag: 'wx' });
  try {
    linkSync(temp, file);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    unlinkQuietly(temp);
  }
}

/**
 * Moves a stale lock away, then checks that what was moved is the stale lock judged (another
 * process may have taken it over in between); if not, puts that live lock back.
 */
function takeOverStale(file: string, staleRaw: string): void {
  const moved = `${file}.stale.${process.pid}`;
  try {
    renameSync(file, moved);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw error;
  }
  let movedRaw = '';
  try {
    movedRaw = readFileSync(moved, 'utf8');
  } catch {
    // Gone: nothing to put back.
  }
  if (movedRaw !== staleRaw) {
    try {
      linkSync(moved, file);
    } catch {
      // Someone holds the lock again: theirs stands.
    }
  }
  unlinkQuietly(moved);
}

type ReadLock = { holder: LockHolder; raw: string } | 'missing' | 'unreadable';

function readLock(file: string): ReadLock {
  let raw: string;
  try {
    raw = readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 'missing';
    throw error;
  }
  try {
    const holder = JSON.parse(raw) as LockHolder;
    if (typeof holder.pid !== 'number' || typeof holder.hostname !== 'string') return 'unreadable';
    return { holder, raw };
  } catch {
    return 'unreadable';
  }
}

/** Stale: the holder ran on this host and its process is gone. A holder on another host cannot be checked. */
function isStale(holder: LockHolder): boolean {
  if (holder.hostname !== hostname()) return false;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function lockedError(dataDir: string, file: string, holder: LockHolder): AppError {
  const who = `process ${holder.pid} on ${holder.hostname} (${holder.command}, since ${holder.since})`;
  const fix =
    holder.hostname === hostname()
      ? `stop that process first (only one process at a time may open an embedded store; several processes can share a PostgreSQL store, DATABASE_URL)`
      : `stop that process first; if it is no longer running, delete ${file}`;
  return new AppError('store_locked', `the embedded store in ${dataDir} is in use by ${who}: ${fix}`, {
    holder,
  });
}

function commandLine(): string {
  const [script, ...args] = process.argv.slice(1);
  return [script ? path.basename(script) : process.argv0, ...args].join(' ');
}

function unlinkQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // Already gone.
  }
}
