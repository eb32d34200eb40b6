import type { ActivityType } from '../canonical';
import { ActivityBuffer, onWorkingDay } from './activityBuffer';
import type { DealPeriod } from './opportunities';
import type { AccountPeople } from './people';
import type { Random } from './random';
import { DAY_MS } from './time';

/**
 * Sales activity around opportunities, from creation to close (or the window's end): reach
 * goes up while a deal is worked, and the buyer replies.
 *
 * Rates per day while open:           relevant   not relevant (renewal, expansion, pilot)
 *   sales_email                         0.20       0.06
 *   sales_call                          0.07       0.02
 *   sales_meeting                       0.05       0.02
 *   sales_reply (known engagement)      0.06       0.02
 * For 45 days after a relevant opportunity is won (onboarding): sales_meeting 0.05 and
 * sales_email 0.05 a day, and the new customer's engineers visit the docs 0.3 times a day.
 * People are drawn by buying role (jobs.ts), so the committee carries most of it.
 */
const OPEN_DEAL_RATES: Readonly<
  Record<'relevant' | 'other', ReadonlyArray<readonly [ActivityType, number]>>
> = {
  relevant: [
    ['sales_email', 0.2],
    ['sales_call', 0.07],
    ['sales_meeting', 0.05],
    ['sales_reply', 0.06],
  ],
  other: [
    ['sales_email', 0.06],
    ['sales_call', 0.02],
    ['sales_meeting', 0.02],
    ['sales_reply', 0.02],
  ],
};

const ONBOARDING_DAYS = 45;
const ONBOARDING_DOCS = [
  '/docs/getting-started',
  '/docs/cli',
  '/docs/policies',
  '/docs/integrations/github-actions',
  '/docs/integrations/gitlab-ci',
];

export function addDealActivities(
  random: Random,
  deal: DealPeriod,
  people: AccountPeople,
  buffer: ActivityBuffer,
): void {
  const committee = people.committee;
  if (committee === null) return;
  const openDays = (deal.endMs - deal.startMs) / DAY_MS;
  for (const [type, ratePerDay] of OPEN_DEAL_RATES[deal.opportunityRelevant ? 'relevant' : 'other']) {
    for (let i = random.poisson(ratePerDay * openDays); i > 0; i--) {
      const timeMs = onWorkingDay(random, random.uniform(deal.startMs, deal.endMs));
      buffer.add(timeMs, type, committee.draw(random).row.id, type === 'sales_reply' ? 'outreach' : 'crm');
    }
  }
  if (!(deal.opportunityRelevant && deal.won)) return;
  const onboardingEndMs = deal.endMs + ONBOARDING_DAYS * DAY_MS;
  for (const type of ['sales_meeting', 'sales_email'] as const) {
    for (let i = random.poisson(0.05 * ONBOARDING_DAYS); i > 0; i--) {
      buffer.add(
        onWorkingDay(random, random.uniform(deal.endMs, onboardingEndMs)),
        type,
        committee.draw(random).row.id,
        'crm',
      );
    }
  }
  for (let i = random.poisson(0.3 * ONBOARDING_DAYS); i > 0; i--) {
    buffer.add(
      random.uniform(deal.endMs, onboardingEndMs),
      'web_visit',
      null,
      'web',
      null,
      random.pick(ONBOARDING_DOCS),
    );
  }
}
