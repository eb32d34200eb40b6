import { engagementPoints, type EngagementModel } from './engagement';
import type { MarketFacts } from './facts';
import { engagementEvents } from './windowActivity';

/** What an engaged person did in the latest window: points and acts by type. */
export interface Engaged {
  points: number;
  acts: Map<string, number>;
}

/**
 * The engaged people by contact id, from the known engagement of the latest window (the 91 days
 * before T): a map of the few who engaged rather than an entry for each of a million people (the
 * rest have no points and no acts). Each person's points add up in the order of the accounts and
 * their sorted events. Applying (the day's grades) and training (the grade cuts) both use it.
 */
export function engagedPeople(facts: MarketFacts, model: EngagementModel): Map<string, Engaged> {
  const engaged = new Map<string, Engaged>();
  for (let account = 0; account < facts.accounts.length; account++) {
    for (const event of engagementEvents(facts.windows[account]?.[0])) {
      if (event.age >= model.windowDays) continue;
      let person = engaged.get(event.contactId);
      if (person === undefined) {
        person = { points: 0, acts: new Map() };
        engaged.set(event.contactId, person);
      }
      person.points += engagementPoints(event.type, event.age, 1, model);
      person.acts.set(event.type, (person.acts.get(event.type) ?? 0) + 1);
    }
  }
  return engaged;
}
