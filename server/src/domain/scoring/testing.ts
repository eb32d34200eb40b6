import type { MarketFacts } from './facts';
import { DAY_MS, type OpportunityFact } from './opportunities';
import type { PersonJob } from './personas';
import type { AccountProfile } from './profileFeatures';
import { RECORD, UNIT, WINDOW_COUNT, type WindowActivity } from './windowActivity';

/** A deterministic synthetic market for the engine's tests (not shipped: testing.ts files are left out of the package). */
export const T = Date.UTC(2026, 10, 1); // 2026-11-01T00:00:00Z
export const S = (k: number) => T - k * 91 * DAY_MS;

export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const JOBS: PersonJob[] = [
  { job_level: 'VP', job_function: 'Engineering', title: 'VP of Engineering' },
  { job_level: 'Director', job_function: 'Security', title: 'Director, Security Engineering' },
  { job_level: 'Staff', job_function: 'DevOps', title: 'DevOps Engineer' },
  { job_level: 'Manager', job_function: 'Finance', title: 'Procurement Manager' },
  { job_level: 'C-Level', job_function: 'Sales', title: 'Chief Revenue Officer' },
  { job_level: 'Staff', job_function: 'Marketing', title: 'Marketing Intern' },
];
const INDUSTRIES = ['Software', 'Finance', 'Retail', 'Health', 'Manufacturing'];
const EMPLOYEES = [8, 30, 120, 600, 2500, 9000, 40000];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'CA'];
const TECHNOLOGIES = ['aws', 'gcp', 'azure', 'okta', 'snowflake'];
const KEYWORDS = ['devsecops', 'sast', 'sbom', 'signalfit'];
const SOURCES = ['bombora', 'g2', 'first_party', 'trustradius'];
const SECTIONS = ['/pricing', '/docs/install', '/blog/post', '/', '/careers'];

export interface Market {
  facts: MarketFacts;
  /** Per account: in market at window 0 (what the intent score should find). */
  inMarketNow: boolean[];
  /** The facts' windows and opportunities, for a test to adjust before scoring. */
  windows: Array<Array<WindowActivity | undefined>>;
  opportunities: OpportunityFact[][];
}

/**
 * A deterministic market of `n` accounts, three people each, five 91-day windows before T.
 * Accounts that fit (software, 51–5,000 employees, on aws) are more often in market; in
 * market at snapshot k ≥ 1 they research, visit and engage in window k and open a relevant
 * opportunity 5–60 days after S_k. `inMarketRate` scales how often that happens.
 */
export function buildMarket(n: number, seed: number, inMarketRate: number): Market {
  const next = random(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)] as T;
  const accounts: Array<MarketFacts['accounts'][number]> = [];
  const opportunities: OpportunityFact[][] = [];
  const windows: Array<Array<WindowActivity | undefined>> = [];
  const people: Array<MarketFacts['people'][number]> = [];
  const inMarketNow: boolean[] = [];
  for (let a = 0; a < n; a++) {
    const profile: AccountProfile = {
      industry: pick(INDUSTRIES),
      employees: pick(EMPLOYEES),
      annual_revenue: Math.round(next() * 5e8),
      country: pick(COUNTRIES),
      naics: next() < 0.8 ? pick(['541511', '522110', '445110', '621111']) : null,
      technologies: TECHNOLOGIES.filter(() => next() < 0.35),
    };
    const fit =
      (profile.industry === 'Software' ? 1.5 : 0) +
      ((profile.employees ?? 0) > 50 && (profile.employees ?? 0) <= 5000 ? 1 : 0) +
      (profile.technologies.includes('aws') ? 0.7 : 0);
    const createdMs = next() < 0.1 ? T - (120 + Math.floor(next() * 200)) * DAY_MS : null;
    accounts.push({ id: `acc-${String(a).padStart(4, '0')}`, createdMs, profile });
    const ids = [0, 1, 2].map((p) => `p-${a}-${p}`);
    ids.forEach((id, p) =>
      people.push({ id, account: a, job: JOBS[(a + 2 * p) % JOBS.length] as PersonJob }),
    );
    const own: OpportunityFact[] = [];
    const accountWindows: Array<WindowActivity | undefined> = [];
    for (let k = 0; k < WINDOW_COUNT; k++) {
      const existed = createdMs === null || createdMs < S(k + 1);
      const inMarket = existed && next() < inMarketRate * (0.3 + fit / 2);
      if (k === 0) inMarketNow.push(inMarket);
      if (inMarket && k >= 1 && next() < 0.85) {
        const createdAt = S(k) + (5 + Math.floor(next() * 55)) * DAY_MS;
        const closedAt = createdAt + 45 * DAY_MS;
        own.push({
          createdMs: createdAt,
          closedMs: closedAt < T ? closedAt : null,
          won: next() < 0.5,
          relevant: true,
        });
      }
      if (next() < 0.05 && k >= 1)
        own.push({ createdMs: S(k) + DAY_MS, closedMs: null, won: false, relevant: false });
      const researchCount = inMarket ? 4 + Math.floor(next() * 10) : next() < 0.2 ? 1 : 0;
      const visits = inMarket ? 3 + Math.floor(next() * 8) : next() < 0.3 ? 1 + Math.floor(next() * 2) : 0;
      const engaged = inMarket ? 2 + Math.floor(next() * 4) : next() < 0.15 ? 1 : 0;
      const touches = next() < 0.4 ? Math.floor(next() * 6) : 0;
      if (researchCount + visits + engaged + touches === 0) {
        accountWindows.push(undefined);
        continue;
      }
      const research = Array.from({ length: researchCount }, () => ({
        age: inMarket ? Math.floor(next() * 30) : Math.floor(next() * 91),
        source: pick(SOURCES),
        keyword: pick(KEYWORDS),
      })).sort((x, y) => x.age - y.age);
      const engagement = Array.from({ length: engaged }, () => ({
        age: Math.floor(next() * (inMarket ? 40 : 91)),
        type: pick(['email_open', 'email_click', 'webinar', 'form_fill', 'sales_reply']),
        contactId: pick(ids),
      }));
      const in28 = (age: number) => age < 28;
      accountWindows.push({
        research7: research.filter((r) => r.age < 7).length,
        research28: research.filter((r) => in28(r.age)).length,
        research91: research.length,
        review28: research.filter((r) => in28(r.age) && (r.source === 'g2' || r.source === 'trustradius'))
          .length,
        branded28: research.filter((r) => in28(r.age) && r.keyword === 'signalfit').length,
        lastResearchAge: research[0]?.age ?? null,
        visits91: visits,
        engagement28: engagement.filter((e) => in28(e.age)).length,
        engagement91: engagement.length,
        reach28: touches * 1.5,
        sales28: Math.floor(touches / 2),
        urlList:
          visits === 0
            ? null
            : Array.from({ length: visits }, (_, v) =>
                inMarket && v === 0 ? '/pricing' : pick(SECTIONS),
              ).join(RECORD),
        researchList:
          research.length === 0
            ? null
            : research.map((r) => [r.age, r.source, r.keyword].join(UNIT)).join(RECORD),
        engagementList:
          engagement.length === 0
            ? null
            : engagement.map((e) => [e.age, e.type, e.contactId].join(UNIT)).join(RECORD),
      });
    }
    opportunities.push(own);
    windows.push(accountWindows);
  }
  return {
    facts: { asOfMs: T, accounts, opportunities, windows, people },
    inMarketNow,
    windows,
    opportunities,
  };
}

/** A small market with enough history for all three models. */
export function syntheticMarket(): MarketFacts {
  return buildMarket(600, 11, 1).facts;
}
