/**
 * One account's activity in one window of 91 days before a snapshot S, as the store
 * aggregates it in SQL (services/scoring/loadFacts.ts). Ages are whole days before S (0: the
 * last day before S). Only research on configured keywords is counted.
 *
 * The windows tile the time before T: window k covers [T − 91(k + 1) days, T − 91k days) and
 * is the feature window of snapshot S_k = T − 91k days; k = 0 is the one scored, k ≥ 1 train.
 */
export interface WindowActivity {
  research7: number;
  research28: number;
  research91: number;
  /** Research on review sites (g2, trustradius) in the last 28 days. */
  review28: number;
  /** Research on branded keywords in the last 28 days. */
  branded28: number;
  /** Age of the latest research, null without research in the window. */
  lastResearchAge: number | null;
  visits91: number;
  engagement28: number;
  engagement91: number;
  /** Our touches in the last 28 days, weighted by REACH_POINTS. */
  reach28: number;
  /** Sales emails, calls and meetings in the last 28 days. */
  sales28: number;
  /**
   * The events whose details matter, as the store lists them (records separated by RECORD,
   * fields by UNIT), parsed only when needed (most training windows never are):
   * URL of every web visit in the last 28 days; research as age, source, keyword; known
   * engagement by an identified person as age, type, person id.
   */
  urlList: string | null;
  researchList: string | null;
  engagementList: string | null;
}

export const RECORD = '\x1e';
export const UNIT = '\x1f';

function records(list: string | null): string[] {
  return list === null || list === '' ? [] : list.split(RECORD);
}

export function urls28(window: WindowActivity | undefined): string[] {
  return records(window?.urlList ?? null);
}

export function researchEvents(window: WindowActivity | undefined): ResearchEvent[] {
  return records(window?.researchList ?? null).map((record) => {
    const [age, source, keyword] = record.split(UNIT);
    return { age: Number(age), source: source ?? '', keyword: keyword ?? '' };
  });
}

export function engagementEvents(window: WindowActivity | undefined): EngagementEvent[] {
  // The store lists events in no set order: sort them, so that sums and ties come out the same.
  return records(window?.engagementList ?? null)
    .map((record) => {
      const [age, type, contactId] = record.split(UNIT);
      return { age: Number(age), type: type ?? '', contactId: contactId ?? '' };
    })
    .sort(
      (a, b) =>
        a.age - b.age ||
        (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
        (a.contactId < b.contactId ? -1 : a.contactId > b.contactId ? 1 : 0),
    );
}

export interface ResearchEvent {
  age: number;
  source: string;
  keyword: string;
}

export interface EngagementEvent {
  age: number;
  type: string;
  contactId: string;
}

export const WINDOW_DAYS = 91;
/** Training snapshots k = 1…4 (the year before T), validation on k = 1. */
export const TRAINING_WINDOWS = [1, 2, 3, 4] as const;
export const WINDOW_COUNT = 5;

export function emptyWindow(): WindowActivity {
  return {
    research7: 0,
    research28: 0,
    research91: 0,
    review28: 0,
    branded28: 0,
    lastResearchAge: null,
    visits91: 0,
    engagement28: 0,
    engagement91: 0,
    reach28: 0,
    sales28: 0,
    urlList: null,
    researchList: null,
    engagementList: null,
  };
}
