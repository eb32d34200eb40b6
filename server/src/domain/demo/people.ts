import type { ContactRow, JobLevel } from '../canonical';
import type { AccountProfile } from './account';
import { COUNTRIES } from './geography';
import { DemoIdAllocator, KEY_PREFIXES } from './demoIds';
import {
  buyingRoleOf,
  CYCLE_ENGAGEMENT_WEIGHT,
  JOB_FUNCTION_TABLE,
  JOB_LEVEL_TABLE,
  SMALL_COMPANY_JOB_LEVEL_TABLE,
  TITLES,
  type BuyingRole,
  type JobFunction,
} from './jobs';
import { emailLocalPart, FIRST_NAMES, LAST_NAMES } from './names';
import { Random, WeightedTable } from './random';
import { DAY_MS, type MarketWindow } from './time';

/**
 * The people of one account (contacts and leads).
 *
 * - count ~ Poisson(2 + 1.8 × ln(employees)), at least 1, at most min(40, employees):
 *   ~6 at a 10-person company, ~12 at 250, ~19 at 10,000, ~24 at 200,000;
 * - kind: 30% `lead` (id prefix 00Q), else `contact` (003);
 * - job function and level: jobs.ts (4% of each missing, as in a real CRM; the title stays);
 * - email: first.last (60%), flast (25%) or first (15%) at the account's domain, 3% without email;
 * - opted_out: 5%; country: the account's (90%) or any other;
 * - created_at: uniform between the account's creation and the start of the window.
 */

export interface DemoPerson {
  readonly row: ContactRow;
  readonly role: BuyingRole;
  /** Has an email address and has not opted out: can receive and open marketing email. */
  readonly emailable: boolean;
}

export interface AccountPeople {
  readonly people: readonly DemoPerson[];
  /** Everyone, equally likely (background engagement). Null when the account has nobody. */
  readonly anyone: WeightedTable<DemoPerson> | null;
  /** Emailable people, equally likely (newsletters). */
  readonly anyEmailable: WeightedTable<DemoPerson> | null;
  /** Everyone, weighted by CYCLE_ENGAGEMENT_WEIGHT (buying-cycle engagement, sales touches). */
  readonly committee: WeightedTable<DemoPerson> | null;
  /** Emailable people weighted by CYCLE_ENGAGEMENT_WEIGHT (cycle email clicks and opens). */
  readonly emailableCommittee: WeightedTable<DemoPerson> | null;
}

const OTHER_COUNTRIES = COUNTRIES.map((country) => country.code);

function tableOf(
  people: readonly DemoPerson[],
  weight: (person: DemoPerson) => number,
): WeightedTable<DemoPerson> | null {
  return people.length === 0 ? null : new WeightedTable(people.map((person) => [person, weight(person)]));
}

function emailAddress(
  random: Random,
  first: string,
  last: string,
  domain: string,
  taken: Set<string>,
): string {
  const firstPart = emailLocalPart(first);
  const lastPart = emailLocalPart(last);
  const pattern = random.next();
  const base =
    pattern < 0.6
      ? `${firstPart}.${lastPart}`
      : pattern < 0.85
        ? `${firstPart.charAt(0)}${lastPart}`
        : firstPart;
  let local = base;
  for (let n = 2; taken.has(local); n++) local = `${base}${n}`;
  taken.add(local);
  return `${local}@${domain}`;
}

export function drawPeople(
  random: Random,
  accountId: string,
  domain: string,
  accountCreatedAtMs: number,
  profile: AccountProfile,
  ids: DemoIdAllocator,
  window: MarketWindow,
  committeeFunctions: ReadonlySet<JobFunction>,
): AccountPeople {
  const cap = Math.min(40, profile.employees);
  const count = Math.max(1, Math.min(cap, random.poisson(2 + 1.8 * Math.log(profile.employees))));
  const levels = profile.employees < 100 ? SMALL_COMPANY_JOB_LEVEL_TABLE : JOB_LEVEL_TABLE;
  const takenEmails = new Set<string>();
  const people: DemoPerson[] = [];

  for (let i = 0; i < count; i++) {
    const jobFunction = JOB_FUNCTION_TABLE.draw(random);
    const level: JobLevel = levels.draw(random);
    const firstName = random.pick(FIRST_NAMES);
    const lastName = random.pick(LAST_NAMES);
    const kind = random.chance(0.3) ? 'lead' : 'contact';
    const email = random.chance(0.03) ? null : emailAddress(random, firstName, lastName, domain, takenEmails);
    const optedOut = random.chance(0.05);
    const createdAtMs = random.uniform(accountCreatedAtMs, window.startMs - DAY_MS);
    const row: ContactRow = {
      id: ids.next(kind === 'lead' ? KEY_PREFIXES.lead : KEY_PREFIXES.contact),
      account_id: accountId,
      email,
      first_name: firstName,
      last_name: lastName,
      title: random.pick(TITLES[jobFunction][level]),
      job_level: random.chance(0.04) ? null : level,
      job_function: random.chance(0.04) ? null : jobFunction,
      country: random.chance(0.9) ? profile.country.code : random.pick(OTHER_COUNTRIES),
      kind,
      opted_out: optedOut,
      created_at: new Date(Math.floor(createdAtMs)),
    };
    people.push({
      row,
      role: buyingRoleOf(jobFunction, level, committeeFunctions),
      emailable: email !== null && !optedOut,
    });
  }

  const emailable = people.filter((person) => person.emailable);
  const engagementWeight = (person: DemoPerson): number => CYCLE_ENGAGEMENT_WEIGHT[person.role];
  return {
    people,
    anyone: tableOf(people, () => 1),
    anyEmailable: tableOf(emailable, () => 1),
    committee: tableOf(people, engagementWeight),
    emailableCommittee: tableOf(emailable, engagementWeight),
  };
}
