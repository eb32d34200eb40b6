import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import { AppError } from '../errors';
import type { Db } from '../store/db';

/**
 * A lease in the store (table job_leases): at most one holder at a time, across processes and
 * instances sharing a PostgreSQL. The holder renews it while it works; a holder that died stops
 * renewing and the lease expires. A holder on this host whose process is gone (killed) is
 * recognised at once, so a rerun after a crash does not wait for the expiry.
 */
export interface Lease {
  holder: string;
  release(): Promise<void>;
}

/** `host:pid:random`: whose lease it is, and whether that process still lives. */
export function newHolder(): string {
  return `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}

export async function acquireLease(
  db: Db,
  name: string,
  options: { ttlMs?: number; holder?: string } = {},
): Promise<Lease> {
  const ttlMs = options.ttlMs ?? 120_000;
  const holder = options.holder ?? newHolder();
  const take = () =>
    db.query<{ holder: string }>(
      `INSERT INTO job_leases (name, holder, expires_at) VALUES ($1, $2, now() + $3 * interval '1 millisecond')
       ON CONFLICT (name) DO UPDATE SET holder = EXCLUDED.holder, expires_at = EXCLUDED.expires_at
       WHERE job_leases.expires_at < now() OR job_leases.holder = $2
       RETURNING holder`,
      [name, holder, ttlMs],
    );
  let taken = await take();
  if (taken.length === 0) {
    const [current] = await db.query<{ holder: string; expires_at: Date }>(
      'SELECT holder, expires_at FROM job_leases WHERE name = $1',
      [name],
    );
    if (current && holderIsGone(current.holder)) {
      await db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, current.holder]);
      taken = await take();
    }
    if (taken.length === 0) {
      throw new AppError(
        'conflict',
        `${name} is already running (${current?.holder ?? 'another instance'}, lease until ${current?.expires_at.toISOString() ?? '?'})`,
      );
    }
  }
  const renew = setInterval(
    () => {
      db.query(
        "UPDATE job_leases SET expires_at = now() + $3 * interval '1 millisecond' WHERE name = $1 AND holder = $2",
        [name, holder, ttlMs],
      ).catch(() => undefined); // a failed renewal shows as an expired lease
    },
    Math.max(1000, Math.floor(ttlMs / 3)),
  );
  renew.unref();
  return {
    holder,
    async release() {
      clearInterval(renew);
      await db.query('DELETE FROM job_leases WHERE name = $1 AND holder = $2', [name, holder]);
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
