import { ActivityBuffer, onWorkingDay } from './activityBuffer';
import { AD_CLICK_SOURCES, AD_IMPRESSION_SOURCES, BACKGROUND_RESEARCH_SOURCES } from './activitySources';
import { CAMPAIGNS } from './campaigns';
import type { AccountPeople, DemoPerson } from './people';
import type { Random, WeightedTable } from './random';
import type { ResolvedShape } from './shape';
import { DAY_MS, type MarketWindow } from './time';
import { BACKGROUND_PAGES } from './webPages';

/**
 * Background activity: what happens at every account whether or not it is buying.
 *
 * Each kind is a Poisson process, uniform over the window, with
 *   rate = BACKGROUND_RATES_PER_DAY[kind] × sizeScale × coverage
 * where sizeScale = ln(employees) / ln(250) (0.29 … 2.2: noise grows with the log of the size)
 * (configured research also × the shape's noiseResearch, 1)
 * and coverage ~ LogNormal(0, 0.35²) (how well the account is covered by our tracking and
 * marketing lists). At sizeScale 1 that is ~0.58 activities a day, ~320 over 18 months, the bulk
 * of the market's ~370 activities per account. Known engagement and sales touches fall on
 * working days (activityBuffer.ts); email goes only to people with an address who have not
 * opted out.
 */
export const BACKGROUND_RATES_PER_DAY = {
  /** Home page, blog, careers…; ~6% on a high-intent page by chance (webPages.ts). */
  webVisit: 0.2,
  /** Research on keywords that are not configured (noise for the models). */
  unconfiguredResearch: 0.09,
  /** Occasional research on a configured keyword outside any buying cycle. */
  configuredResearch: 0.008,
  /** Newsletters sent (reach). */
  emailSent: 0.07,
  emailOpen: 0.05,
  emailClick: 0.008,
  /** Always-on display and social ads (reach). */
  adImpression: 0.12,
  adClick: 0.004,
  webinar: 0.002,
  formFill: 0.003,
  tradeShow: 0.0015,
  fieldEvent: 0.0008,
  /** Prospecting by sales (reach). */
  salesEmail: 0.015,
  salesCall: 0.006,
  salesMeeting: 0.0012,
  salesReply: 0.002,
  /** Existing customers only: their engineers read our docs. */
  customerDocsVisit: 0.04,
} as const;

const CUSTOMER_DOCS = [
  '/docs/getting-started',
  '/docs/cli',
  '/docs/policies',
  '/docs/integrations/github-actions',
  '/docs/api/authentication',
];

function idOf(table: WeightedTable<DemoPerson> | null, random: Random): string | null {
  return table === null ? null : table.draw(random).row.id;
}

export function addBackgroundActivities(
  random: Random,
  buffer: ActivityBuffer,
  people: AccountPeople,
  sizeScale: number,
  isCustomer: boolean,
  window: MarketWindow,
  shape: ResolvedShape,
): void {
  const coverage = random.logNormal(0, 0.35);
  const days = (window.endMs - window.startMs) / DAY_MS;
  const rates = BACKGROUND_RATES_PER_DAY;
  const count = (ratePerDay: number): number => random.poisson(ratePerDay * sizeScale * coverage * days);
  const anyTime = (): number => random.uniform(window.startMs, window.endMs);
  const workingTime = (): number => onWorkingDay(random, anyTime());

  for (let i = count(rates.webVisit); i > 0; i--)
    buffer.add(anyTime(), 'web_visit', null, 'web', null, BACKGROUND_PAGES.draw(random));
  for (let i = count(rates.unconfiguredResearch); i > 0; i--) {
    buffer.add(
      anyTime(),
      'keyword_research',
      null,
      BACKGROUND_RESEARCH_SOURCES.draw(random),
      random.pick(shape.unconfigured),
    );
  }
  for (let i = count(rates.configuredResearch * shape.noiseResearch); i > 0; i--) {
    buffer.add(
      anyTime(),
      'keyword_research',
      null,
      BACKGROUND_RESEARCH_SOURCES.draw(random),
      random.pick(shape.allConfigured),
    );
  }
  for (let i = count(rates.adImpression); i > 0; i--) {
    buffer.add(
      anyTime(),
      'ad_impression',
      null,
      AD_IMPRESSION_SOURCES.draw(random),
      null,
      null,
      random.pick(CAMPAIGNS.alwaysOnAds),
    );
  }

  if (people.anyEmailable !== null) {
    const emailable = people.anyEmailable;
    for (let i = count(rates.emailSent); i > 0; i--) {
      buffer.add(
        workingTime(),
        'email_sent',
        idOf(emailable, random),
        'map',
        null,
        null,
        random.pick(CAMPAIGNS.newsletters),
      );
    }
    for (let i = count(rates.emailOpen); i > 0; i--) {
      buffer.add(
        anyTime(),
        'email_open',
        idOf(emailable, random),
        'map',
        null,
        null,
        random.pick(CAMPAIGNS.newsletters),
      );
    }
    for (let i = count(rates.emailClick); i > 0; i--) {
      buffer.add(
        anyTime(),
        'email_click',
        idOf(emailable, random),
        'map',
        null,
        null,
        random.pick(CAMPAIGNS.newsletters),
      );
    }
  }

  const anyone = people.anyone;
  for (let i = count(rates.adClick); i > 0; i--) {
    buffer.add(
      anyTime(),
      'ad_click',
      idOf(anyone, random),
      AD_CLICK_SOURCES.draw(random),
      null,
      null,
      random.pick(CAMPAIGNS.alwaysOnAds),
    );
  }
  for (let i = count(rates.webinar); i > 0; i--)
    buffer.add(
      workingTime(),
      'webinar',
      idOf(anyone, random),
      'map',
      null,
      null,
      random.pick(CAMPAIGNS.webinars),
    );
  for (let i = count(rates.formFill); i > 0; i--) {
    buffer.add(
      workingTime(),
      'form_fill',
      idOf(anyone, random),
      'map',
      null,
      null,
      random.pick(CAMPAIGNS.earlyForms),
    );
  }
  for (let i = count(rates.tradeShow); i > 0; i--)
    buffer.add(
      workingTime(),
      'trade_show',
      idOf(anyone, random),
      'crm',
      null,
      null,
      random.pick(CAMPAIGNS.tradeShows),
    );
  for (let i = count(rates.fieldEvent); i > 0; i--)
    buffer.add(
      workingTime(),
      'field_event',
      idOf(anyone, random),
      'crm',
      null,
      null,
      random.pick(CAMPAIGNS.fieldEvents),
    );
  for (let i = count(rates.salesEmail); i > 0; i--)
    buffer.add(workingTime(), 'sales_email', idOf(anyone, random), 'crm');
  for (let i = count(rates.salesCall); i > 0; i--)
    buffer.add(workingTime(), 'sales_call', idOf(anyone, random), 'crm');
  for (let i = count(rates.salesMeeting); i > 0; i--)
    buffer.add(workingTime(), 'sales_meeting', idOf(anyone, random), 'crm');
  for (let i = count(rates.salesReply); i > 0; i--)
    buffer.add(workingTime(), 'sales_reply', idOf(anyone, random), 'outreach');

  if (isCustomer) {
    for (let i = count(rates.customerDocsVisit); i > 0; i--)
      buffer.add(anyTime(), 'web_visit', null, 'web', null, random.pick(CUSTOMER_DOCS));
  }
}
