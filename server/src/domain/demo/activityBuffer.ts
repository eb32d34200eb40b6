import type { ActivityRow, ActivityType } from '../canonical';
import { DemoIdAllocator, KEY_PREFIXES } from './demoIds';
import type { Random } from './random';
import { DAY_MS, dayOfWeek, type MarketWindow } from './time';

/**
 * Collects one account's activities in any order, keeps only those inside the window, and turns
 * them into rows sorted by time with ids in time order (meetings are Salesforce Events, `00U`;
 * everything else gets a Task-style `00T` id).
 */

interface PendingActivity {
  readonly timeMs: number;
  readonly type: ActivityType;
  readonly contactId: string | null;
  readonly source: string | null;
  readonly keyword: string | null;
  readonly url: string | null;
  readonly campaign: string | null;
}

export class ActivityBuffer {
  private readonly pending: PendingActivity[] = [];

  constructor(private readonly window: MarketWindow) {}

  get size(): number {
    return this.pending.length;
  }

  /** Adds an activity; one outside [window start, window end) is silently dropped. */
  add(
    timeMs: number,
    type: ActivityType,
    contactId: string | null,
    source: string | null,
    keyword: string | null = null,
    url: string | null = null,
    campaign: string | null = null,
  ): void {
    if (!(timeMs >= this.window.startMs && timeMs < this.window.endMs)) return;
    this.pending.push({ timeMs: Math.floor(timeMs), type, contactId, source, keyword, url, campaign });
  }

  toRows(accountId: string, ids: DemoIdAllocator): ActivityRow[] {
    // Array.prototype.sort is stable: equal times keep insertion order, which is deterministic.
    this.pending.sort((a, b) => a.timeMs - b.timeMs);
    return this.pending.map((activity): ActivityRow => ({
      id: ids.next(activity.type === 'sales_meeting' ? KEY_PREFIXES.event : KEY_PREFIXES.task),
      occurred_at: new Date(activity.timeMs),
      account_id: accountId,
      contact_id: activity.contactId,
      type: activity.type,
      source: activity.source,
      keyword: activity.keyword,
      url: activity.url,
      campaign: activity.campaign,
    }));
  }
}

/**
 * People act on working days: a time that falls on a weekend moves to the Friday before with
 * probability 0.85 (the rest stays: conferences, on-call engineers, night owls).
 */
export function onWorkingDay(random: Random, timeMs: number): number {
  const day = dayOfWeek(timeMs);
  if ((day === 6 || day === 0) && random.chance(0.85)) return timeMs - (day === 6 ? 1 : 2) * DAY_MS;
  return timeMs;
}
