import type { Config } from '../config';

/** The store a command worked on, as its output names it. */
export function describeStore(config: Config): string {
  return 'databaseUrl' in config.store
    ? 'PostgreSQL (DATABASE_URL)'
    : `embedded store in ${config.store.dataDir}`;
}
