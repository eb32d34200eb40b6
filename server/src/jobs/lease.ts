import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { Db } from '../store/db';

/**
 * A lease in the store (table job_leases): at most one holder at a time, across processes and
 * instances sharing a PostgreSQL. The holder renews it while it works; a holder that died stops
 * renewing and the lease expires. A holder on this host whose process is gone (killed) is
 * recognised at once, so a rerun after a crash does not wait for the expiry.
 *
 * Expiry alone cannot stop a holder that was only slow (a long pause, a lost connection): once its
 * lease expired and another holder took it, both would write. So every grant carries a fencing
 * token, larger than any before it, and the writes of a job that matter call `fence(tx)` in their
 * transaction: it refuses (`lease_lost`) unless that grant still holds, and keeps the lease from
 * being taken until the transaction ends.
 */
export interface Lease {
  readonly name: string;
  readonly holder: string;
  /** This grant's fencing token. */
  readonly token: number;
  /** Aborted (with a `lease_lost` AppError) when a renewal finds the lease taken or fails. */
  readonly signal: AbortSignal;
  /** In the transaction of a write that matters: throws `lease_lost` unless this grant still holds. */
  fence(tx: Db): Promise<void>;
  release(): Promise<void>;
}

export interface LeaseOptions {
  /** How long the lease lasts without a renewal (renewed every third of it). */
  ttlMs?: number;
  holder?: string;
  /** While another live holder has it, try again until this long has passed (default: refuse at once). */
  waitMs?: number;
  /** Stops the waiting (the signal's reason is thrown). */
  signal?: AbortSignal;
  /** Told once when the lease is lost (the signal aborts too): for the log. */
  onLost?: (error: AppError) => void;
}

/** `host:pid:random`: whose lease it is, and whether that process still lives. */
export function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

const WAIT_POLL_MS = 500;

export async function acquireLease(db: Db, name: string, options: LeaseOptions = {}): Promise<Lease> {
  const ttlMs = options.ttlMs ?? 120_000;
  const holder = options.holder ?? newHolder();
  const waitUntil = Date.now() + (options.waitMs ?? 0);
  let token = await tryTake(db, name, holder, ttlMs);
  while (token === null) {
    const [current] = await db.query<{ holder: string; expires_at: Date }>(
      'SELECT holder, expires_at FROM job_leases WHERE name = $1',
      [name],
    );
    if (current && holderIsGone(current.holder)) {
      await db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, current.holder]);
    } else if (Date.now() >= waitUntil) {
      throw new AppError(
        'conflict',
        `${name} is already running (${current?.holder ?? 'another instance'}, lease until ${current?.expires_at.toISOString() ?? '?'})`,
      );
    } else {
      options.signal?.throwIfAborted();
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      options.signal?.throwIfAborted();
    }
    token = await tryTake(db, name, holder, ttlMs);
  }
  return holdLease(db, name, holder, token, ttlMs, options.onLost);
}

/** Takes the lease when free, expired or already this holder's; its new token, or null. */
async function tryTake(db: Db, name: string, holder: string, ttlMs: number): Promise<number | null> {
  const [row] = await db.query<{ token: string }>(
    `INSERT INTO job_leases (name, holder, expires_at, token)
     VALUES ($1, $2, now() + $3 * interval '1 millisecond', nextval('job_lease_tokens'))
     ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at, token = EXCLUDED.token
     WHERE job_leases.expires_at < now() OR job_leases.holder = $2
     RETURNING token::text AS token`,
    [name, holder, ttlMs],
  );
  return row ? Number(row.token) : null;
}

function holdLease(
  db: Db,
  name: string,
  holder: string,
  token: number,
  ttlMs: number,
  onLost: LeaseOptions['onLost'],
): Lease {
  const lost = new AbortController();
  const lose = (message: string) => {
    if (lost.signal.aborted) return;
    clearInterval(renew);
    const error = new AppError('lease_lost', message);
    lost.abort(error);
    onLost?.(error);
  };
  const renew = setInterval(
    () => {
      db.query(
        `UPDATE job_leases SET expires_at = now() + $4 * interval '1 millisecond'
         WHERE name = $1 AND holder = $2 AND token = $3 RETURNING 1`,
        [name, holder, token, ttlMs],
      ).then(
        (rows) => {
          if (rows.length === 0) lose(`${name}: the lease expired and another holder took it; stopping`);
        },
        (error: unknown) =>
          lose(
            `${name}: renewing the lease failed (${error instanceof Error ? error.message : String(error)}); stopping, as another holder may take it`,
          ),
      );
    },
    Math.max(100, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  return {
    name,
    holder,
    token,
    signal: lost.signal,
    async fence(tx) {
      // FOR UPDATE: a taker waits until this transaction ends, so the check holds through its commit.
      const rows = await tx.query(
        'SELECT 1 FROM job_leases WHERE name = $1 AND holder = $2 AND token = $3 FOR UPDATE',
        [name, holder, token],
      );
      if (rows.length === 0) {
        const error = new AppError(
          'lease_lost',
          `${name}: this holder's lease (token ${token}) was taken over; its write is refused`,
        );
        if (!lost.signal.aborted) {
          clearInterval(renew);
          lost.abort(error);
          onLost?.(error);
        }
        throw error;
      }
    },
    async release() {
      clearInterval(renew);
      await db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2 AND token = $3', [
        name,
        holder,
        token,
      ]);
    },
  };
}

function holderIsGone(holder: string): boolean {
  const [host, pid] = holder.split(':');
  if (host !== hostname() || !pid || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}
