import type { OutreachCallObserver } from '../integrations/outreach/client';
import type { CallGuard } from '../integrations/salesforce/client';
import type { OutcomeRecord } from '../services/health/outcomes';
import type { ScoringObserver } from '../services/scoring/scoreStore';
import type { Metrics } from './metrics';

/** Scoring runs into the metrics and the scoring's outcome record. */
export function scoringObserver(metrics: Metrics, outcomes: OutcomeRecord): ScoringObserver {
  return {
    phase: (phase, ms) => metrics.scoringPhaseDuration.observe({ phase }, ms / 1000),
    finished: () => {
      metrics.scoringRuns.inc({ outcome: 'complete' });
      outcomes.succeeded();
    },
    failed: (error) => {
      metrics.scoringRuns.inc({ outcome: 'failed' });
      outcomes.failed(error);
    },
  };
}

/**
 * Outreach calls into the metrics and Outreach's outcome record: an answer below 400 is a
 * success; a refusal, a 5xx or no answer a failure.
 */
export function outreachObserver(metrics: Metrics, outcomes: OutcomeRecord): OutreachCallObserver {
  return {
    answered: ({ method, status, error }) => {
      metrics.outreachCalls.inc({ method, status: String(status) });
      if (status > 0 && status < 400) outcomes.succeeded();
      else
        outcomes.failed(
          status === 0
            ? `no answer: ${error?.detail ?? 'timeout or lost connection'}`
            : `Outreach answered HTTP ${status}`,
        );
    },
    rateLimitWait: (ms) => {
      metrics.outreachRateLimitWaits.inc();
      metrics.outreachRateLimitWaitSeconds.inc(ms / 1000);
    },
  };
}

/**
 * The Salesforce budget guard, counting each call it lets through. The usage it is given is the
 * client's own, updated from Sforce-Limit-Info after every answer: kept for the scrape.
 */
export function countingGuard(metrics: Metrics, guard: CallGuard): CallGuard {
  return (usage) => {
    guard(usage);
    metrics.salesforceCalls.inc();
    metrics.salesforceUsage.current = usage;
  };
}
