import type { ActivityType } from '../canonical';
import { ActivityBuffer, onWorkingDay } from './activityBuffer';
import {
  AD_IMPRESSION_SOURCES,
  EARLY_CYCLE_RESEARCH_SOURCES,
  LATE_CYCLE_RESEARCH_SOURCES,
} from './activitySources';
import type { PlannedCycle } from './buyingCycle';
import { CAMPAIGNS } from './campaigns';
import type { AccountPeople } from './people';
import { Random, WeightedTable } from './random';
import type { ResolvedShape } from './shape';
import { DAY_MS } from './time';
import { EARLY_CYCLE_PAGES, LATE_CYCLE_PAGES } from './webPages';

/**
 * Activity of a buying cycle, from its signal start S to its open date O (L = O − S days).
 *
 * Each kind is a Poisson number of events with mean CYCLE_RATES_PER_DAY[kind] × intensity × L
 * (intensity: buyingCycle.ts), known engagement also × the shape's committeeEngagement (1). An event's place in the cycle, its progress p ∈ [0, 1), is
 * uniform with probability 0.35 and otherwise has density ∝ p^1.5 (p = U^(1/2.5)), so the
 * activity ramps up toward the open date while the first weeks already show some research.
 * Sales touches ramp harder (density ∝ p³): sales reacts to the signals. A stalled cycle keeps
 * only the events before its stall point.
 *
 * What the events are depends on p (the buying stages):
 * - research on the cycle's focus keywords (85%) or any configured keyword; after p = 0.6,
 *   30% on the branded keywords; review sites (g2, trustradius) more often after p = 0.5;
 * - web visits to product pages and docs, then (p ≥ 0.55) to pricing, demo and comparison pages;
 * - known engagement by the buying committee (people weighted by role, jobs.ts): email opens and
 *   clicks, webinars and gated content early; demo and trial requests and replies to sales late.
 *
 * After the opportunity opens, research (0.15 a day × intensity) and late-stage page visits
 * (0.1 a day) go on for 14 days (the evaluation).
 *
 * A cold cycle (no buying signal) has only Poisson(1) configured-keyword research events in the
 * 14 days before the open date, and one or two sales calls or meetings in the 5 days before it.
 */
export const CYCLE_RATES_PER_DAY = {
  configuredResearch: 0.5,
  highIntentVisit: 0.3,
  knownEngagement: 0.12,
  targetedAdImpression: 0.1,
  nurtureEmailSent: 0.05,
  salesEmail: 0.04,
  salesCall: 0.015,
  salesMeeting: 0.008,
} as const;

const EARLY_ENGAGEMENT = new WeightedTable<ActivityType>([
  ['email_open', 30],
  ['email_click', 25],
  ['webinar', 20],
  ['form_fill', 15],
  ['ad_click', 7],
  ['trade_show', 3],
]);

const LATE_ENGAGEMENT = new WeightedTable<ActivityType>([
  ['form_fill', 25],
  ['email_click', 20],
  ['sales_reply', 20],
  ['email_open', 15],
  ['webinar', 10],
  ['field_event', 5],
  ['ad_click', 5],
]);

/** Progress in the cycle: 35% uniform, 65% with density ∝ p^1.5. */
function rampProgress(random: Random): number {
  return random.chance(0.35) ? random.next() : Math.pow(random.next(), 1 / 2.5);
}

function researchKeyword(
  random: Random,
  cycle: PlannedCycle,
  progress: number,
  shape: ResolvedShape,
): string {
  if (progress >= 0.6 && random.chance(0.3)) return random.pick(shape.seller.brandedKeywords);
  return random.chance(0.85) ? random.pick(cycle.focusKeywords) : random.pick(shape.configuredGeneric);
}

function engagementCampaign(random: Random, type: ActivityType, late: boolean): string | null {
  switch (type) {
    case 'email_open':
    case 'email_click':
      return random.pick(CAMPAIGNS.nurture);
    case 'webinar':
      return random.pick(CAMPAIGNS.webinars);
    case 'form_fill':
      return random.pick(late ? CAMPAIGNS.lateForms : CAMPAIGNS.earlyForms);
    case 'trade_show':
      return random.pick(CAMPAIGNS.tradeShows);
    case 'field_event':
      return random.pick(CAMPAIGNS.fieldEvents);
    case 'ad_click':
      return random.pick(CAMPAIGNS.targetedAds);
    default:
      return null;
  }
}

function engagementSource(random: Random, type: ActivityType): string {
  if (type === 'sales_reply') return 'outreach';
  if (type === 'ad_click') return random.chance(0.5) ? 'linkedin' : 'ads';
  if (type === 'trade_show' || type === 'field_event') return 'crm';
  return 'map';
}

function addColdCycle(
  random: Random,
  cycle: PlannedCycle,
  people: AccountPeople,
  buffer: ActivityBuffer,
): void {
  for (let i = random.poisson(1); i > 0; i--) {
    const timeMs = cycle.opensAtMs - random.uniform(0, 14) * DAY_MS;
    buffer.add(
      timeMs,
      'keyword_research',
      null,
      EARLY_CYCLE_RESEARCH_SOURCES.draw(random),
      random.pick(cycle.focusKeywords),
    );
  }
  for (let i = random.int(1, 2); i > 0; i--) {
    const timeMs = onWorkingDay(random, cycle.opensAtMs - random.uniform(0, 5) * DAY_MS);
    buffer.add(
      timeMs,
      random.chance(0.5) ? 'sales_meeting' : 'sales_call',
      people.committee?.draw(random).row.id ?? null,
      'crm',
    );
  }
}

export function addCycleActivities(
  random: Random,
  cycle: PlannedCycle,
  people: AccountPeople,
  buffer: ActivityBuffer,
  shape: ResolvedShape,
): void {
  if (cycle.cold) {
    addColdCycle(random, cycle, people, buffer);
    return;
  }
  const startMs = cycle.signalStartMs;
  const lengthMs = cycle.opensAtMs - startMs;
  const lengthDays = lengthMs / DAY_MS;
  const stopAt = cycle.stallAtMs === null ? 1 : (cycle.stallAtMs - startMs) / lengthMs;
  const rates = CYCLE_RATES_PER_DAY;
  const count = (ratePerDay: number): number => random.poisson(ratePerDay * cycle.intensity * lengthDays);
  const timeAt = (progress: number): number => startMs + progress * lengthMs;

  for (let i = count(rates.configuredResearch); i > 0; i--) {
    const p = rampProgress(random);
    if (p >= stopAt) continue;
    const sources = p < 0.5 ? EARLY_CYCLE_RESEARCH_SOURCES : LATE_CYCLE_RESEARCH_SOURCES;
    buffer.add(
      timeAt(p),
      'keyword_research',
      null,
      sources.draw(random),
      researchKeyword(random, cycle, p, shape),
    );
  }
  for (let i = count(rates.highIntentVisit); i > 0; i--) {
    const p = rampProgress(random);
    if (p >= stopAt) continue;
    buffer.add(
      timeAt(p),
      'web_visit',
      null,
      'web',
      null,
      (p < 0.55 ? EARLY_CYCLE_PAGES : LATE_CYCLE_PAGES).draw(random),
    );
  }
  if (people.committee !== null) {
    const committee = people.committee;
    for (let i = count(rates.knownEngagement * shape.committeeEngagement); i > 0; i--) {
      const p = rampProgress(random);
      if (p >= stopAt) continue;
      const late = p >= 0.5;
      const type = (late ? LATE_ENGAGEMENT : EARLY_ENGAGEMENT).draw(random);
      const isEmail = type === 'email_open' || type === 'email_click';
      const person = isEmail ? people.emailableCommittee?.draw(random) : committee.draw(random);
      if (person === undefined) continue;
      buffer.add(
        onWorkingDay(random, timeAt(p)),
        type,
        person.row.id,
        engagementSource(random, type),
        null,
        null,
        engagementCampaign(random, type, late),
      );
    }
    const salesTouch = (type: ActivityType, ratePerDay: number): void => {
      for (let i = count(ratePerDay); i > 0; i--) {
        const p = Math.pow(random.next(), 1 / 4);
        if (p >= stopAt) continue;
        buffer.add(onWorkingDay(random, timeAt(p)), type, committee.draw(random).row.id, 'crm');
      }
    };
    salesTouch('sales_email', rates.salesEmail);
    salesTouch('sales_call', rates.salesCall);
    salesTouch('sales_meeting', rates.salesMeeting);
  }
  for (let i = count(rates.targetedAdImpression); i > 0; i--) {
    const p = rampProgress(random);
    if (p >= stopAt) continue;
    buffer.add(
      timeAt(p),
      'ad_impression',
      null,
      AD_IMPRESSION_SOURCES.draw(random),
      null,
      null,
      random.pick(CAMPAIGNS.targetedAds),
    );
  }
  if (people.anyEmailable !== null) {
    const emailable = people.anyEmailable;
    for (let i = count(rates.nurtureEmailSent); i > 0; i--) {
      const p = rampProgress(random);
      if (p >= stopAt) continue;
      buffer.add(
        onWorkingDay(random, timeAt(p)),
        'email_sent',
        emailable.draw(random).row.id,
        'map',
        null,
        null,
        random.pick(CAMPAIGNS.nurture),
      );
    }
  }

  if (cycle.stallAtMs !== null) return;
  // The evaluation goes on for two weeks after the opportunity opens.
  for (let i = random.poisson(0.15 * cycle.intensity * 14); i > 0; i--) {
    const timeMs = cycle.opensAtMs + random.uniform(0, 14) * DAY_MS;
    buffer.add(
      timeMs,
      'keyword_research',
      null,
      LATE_CYCLE_RESEARCH_SOURCES.draw(random),
      researchKeyword(random, cycle, 1, shape),
    );
  }
  for (let i = random.poisson(0.1 * cycle.intensity * 14); i > 0; i--) {
    buffer.add(
      cycle.opensAtMs + random.uniform(0, 14) * DAY_MS,
      'web_visit',
      null,
      'web',
      null,
      LATE_CYCLE_PAGES.draw(random),
    );
  }
}
