import type { ApiUsage, CallGuard } from '../../integrations/salesforce/client';
import type { Db } from '../../store/db';

/** Thrown before a call that would take Signalfit past its share of the org's daily API limit. */
export class ApiBudgetReached extends Error {
  constructor(
    readonly allowed: number,
    readonly used: number,
  ) {
    super(`stopped at the Salesforce API budget: ${used} of the ${allowed} calls allowed in 24 hours`);
    this.name = 'ApiBudgetReached';
  }
}

/**
 * Signalfit's share of the org's daily API limit (`Sforce-Limit-Info` gives the limit): its own
 * calls of the last 24 hours, kept per hour in the store, plus this run's, must stay within
 * `percent` of the limit. Before the first response the limit is the one last seen; on the
 * very first run it is unknown until Salesforce answers once.
 */
export class ApiBudget {
  private recorded = 0;

  private constructor(
    private readonly percent: number,
    private readonly usedBefore: number,
    private readonly knownLimit: number | null,
  ) {}

  static async load(db: Db, percent: number, now: Date): Promise<ApiBudget> {
    const [row] = await db.query<{ calls: number; org_limit: number | null }>(
      `SELECT coalesce(sum(calls), 0)::int AS calls,
         (SELECT org_limit FROM salesforce_api_usage WHERE org_limit IS NOT NULL ORDER BY hour DESC LIMIT 1) AS org_limit
       FROM salesforce_api_usage WHERE hour > $1::timestamptz - interval '24 hours'`,
      [now.toISOString()],
    );
    return new ApiBudget(percent, row?.calls ?? 0, row?.org_limit ?? null);
  }

  readonly guard: CallGuard = (usage) => {
    const limit = usage.orgLimit ?? this.knownLimit;
    if (limit === null) return;
    const allowed = Math.floor((limit * this.percent) / 100);
    const used = this.usedBefore + usage.calls;
    if (used + 1 > allowed) throw new ApiBudgetReached(allowed, used);
  };

  /** Adds the calls made since the last record to the current hour (call it in the page's transaction). */
  async record(db: Db, usage: ApiUsage, now: Date): Promise<void> {
    const calls = usage.calls - this.recorded;
    if (calls <= 0 && usage.orgLimit === null) return;
    const hour = new Date(Math.floor(now.getTime() / 3_600_000) * 3_600_000);
    await db.query(
      `INSERT INTO salesforce_api_usage (hour, calls, org_limit) VALUES ($1, $2, $3)
       ON CONFLICT (hour) DO UPDATE SET calls = salesforce_api_usage.calls + EXCLUDED.calls,
         org_limit = coalesce(EXCLUDED.org_limit, salesforce_api_usage.org_limit)`,
      [hour.toISOString(), Math.max(0, calls), usage.orgLimit],
    );
    this.recorded = usage.calls;
  }
}

export function isBudgetReached(error: unknown): error is ApiBudgetReached {
  if (error instanceof ApiBudgetReached) return true;
  // jsforce wraps some failures (a session refresh) in an Error of its own.
  return error instanceof Error && /stopped at the Salesforce API budget/.test(error.message);
}
