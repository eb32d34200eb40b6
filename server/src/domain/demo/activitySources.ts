import { RESEARCH_SOURCES } from '../canonical';
import { WeightedTable } from './random';

/**
 * Where activities come from (`activities.source`):
 * - keyword research: `bombora` (intent data co-op), `first_party` (our site search),
 *   `g2` / `trustradius` (review sites, where buyers compare vendors late in a cycle);
 * - web visits `web`; marketing email, forms and webinars `map` (the marketing automation
 *   platform); ads `ads`, `linkedin`, `dsp`; CRM tasks, events and campaign members `crm`;
 *   replies to sales sequences `outreach`.
 */

type ResearchSource = (typeof RESEARCH_SOURCES)[number];

/** Research on any topic outside a buying cycle. */
export const BACKGROUND_RESEARCH_SOURCES = new WeightedTable<ResearchSource>([
  ['bombora', 55],
  ['first_party', 15],
  ['g2', 18],
  ['trustradius', 12],
]);

/** First half of a buying cycle: learning about the problem. */
export const EARLY_CYCLE_RESEARCH_SOURCES = new WeightedTable<ResearchSource>([
  ['bombora', 50],
  ['first_party', 25],
  ['g2', 15],
  ['trustradius', 10],
]);

/** Second half: comparing vendors on review sites. */
export const LATE_CYCLE_RESEARCH_SOURCES = new WeightedTable<ResearchSource>([
  ['bombora', 35],
  ['first_party', 20],
  ['g2', 30],
  ['trustradius', 15],
]);

export const AD_IMPRESSION_SOURCES = new WeightedTable<string>([
  ['ads', 40],
  ['linkedin', 35],
  ['dsp', 25],
]);

export const AD_CLICK_SOURCES = new WeightedTable<string>([
  ['ads', 50],
  ['linkedin', 50],
]);
