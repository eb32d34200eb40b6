import { AppError } from '../../errors';
import { parseOrchestrationInput, parseOrchestrationPatch } from './orchestrationInput';

const FULL = {
  name: '  EMEA-free engineering leaders ',
  goal: 'acquire_contacts',
  segment: 'Hot accounts',
  provider: 'Vendor export',
  target: { type: 'salesforce_campaign', campaignId: '701000000000001', create: 'lead' },
  filters: {
    usePersonaMap: true,
    titles: [
      { levels: ['VP', 'Director'], functions: ['Engineering'] },
      { include: ['engineer', 'SRE'], exclude: ['intern'] },
    ],
    geography: { include: ['us', 'AU'], exclude: ['jp'] },
    prioritizeVisitedCountries: true,
    minEmailConfidence: 'B',
    maxPerAccount: 3,
    allowRestrictedRegions: false,
  },
  schedule: { weekly: 'monday' },
  cooldownDays: 30,
};

const ACQUIRE = {
  name: 'Acquire',
  goal: 'acquire_contacts',
  segment: 7,
  provider: 'Vendor',
  target: { type: 'csv' },
};
const AUDIENCE = {
  name: 'Audience',
  goal: 'add_to_audience',
  segment: 7,
  target: { type: 'salesforce_campaign', campaignId: '701000000000001AAA', create: 'contact' },
};

/** The AppError a value gets, as [message, details.path]. */
function refusal(parse: () => unknown): [string, unknown] {
  try {
    parse();
  } catch (error) {
    if (!(error instanceof AppError)) throw error;
    expect(error.code).toBe('invalid_orchestration');
    return [error.message, (error.details as { path: string }).path];
  }
  throw new Error('not refused');
}
const refused = (value: unknown) => refusal(() => parseOrchestrationInput(value, 'o.json'));

describe('parseOrchestrationInput', () => {
  it('reads a full definition, normalized, and reads its own output the same', () => {
    const parsed = parseOrchestrationInput(FULL, 'o.json');
    expect(parsed).toEqual({
      ...FULL,
      name: 'EMEA-free engineering leaders',
      target: { type: 'salesforce_campaign', campaignId: '701000000000001AAA', create: 'lead' },
      filters: { ...FULL.filters, geography: { include: ['US', 'AU'], exclude: ['JP'] } },
    });
    expect(parseOrchestrationInput(JSON.parse(JSON.stringify(parsed)), 'o.json')).toEqual(parsed);
  });

  it('reads the smallest definitions and the other targets and schedules', () => {
    expect(parseOrchestrationInput(ACQUIRE, 'o.json')).toEqual(ACQUIRE);
    expect(
      parseOrchestrationInput(
        {
          ...AUDIENCE,
          target: { type: 'outreach_sequence', sequenceId: 42, mailboxId: ' 7 ' },
          audience: { personas: ['Executive sponsor'], grades: ['A', 'B'], fits: ['Strong'] },
          schedule: 'daily',
          cooldownDays: 0,
        },
        'o.json',
      ),
    ).toEqual({
      ...AUDIENCE,
      target: { type: 'outreach_sequence', sequenceId: '42', mailboxId: '7' },
      audience: { personas: ['Executive sponsor'], grades: ['A', 'B'], fits: ['Strong'] },
      schedule: 'daily',
      cooldownDays: 0,
    });
    expect(
      parseOrchestrationInput(
        { ...AUDIENCE, audience: { removeLeavers: true }, schedule: 'manual' },
        'o.json',
      ),
    ).toMatchObject({ audience: { removeLeavers: true }, schedule: 'manual' });
    expect(
      parseOrchestrationInput({ ...AUDIENCE, target: { type: 'csv' }, filters: {} }, 'o.json'),
    ).toMatchObject({
      target: { type: 'csv' },
    });
  });

  it.each<[string, unknown, string, string]>([
    ['not an object', 'x', 'o.json: expected object, found string', ''],
    [
      'an unknown key',
      { ...ACQUIRE, owner: 'me' },
      'o.json: unknown key "owner" (known: name, goal, segment, provider, target, filters, audience, schedule, cooldownDays)',
      '',
    ],
    ['no name', { ...ACQUIRE, name: undefined }, 'o.json: name: missing: this key is required', 'name'],
    ['a blank name', { ...ACQUIRE, name: '  ' }, 'o.json: name: an orchestration needs a name', 'name'],
    [
      'a long name',
      { ...ACQUIRE, name: 'x'.repeat(121) },
      'o.json: name: an orchestration name is at most 120 characters',
      'name',
    ],
    [
      'a name of digits',
      { ...ACQUIRE, name: '42' },
      'o.json: name: a name of digits only would read as an id: add a word',
      'name',
    ],
    [
      'an unknown goal',
      { ...ACQUIRE, goal: 'buy' },
      'o.json: goal: "buy" is not a goal: use one of acquire_contacts, add_to_audience',
      'goal',
    ],
    [
      'an empty segment',
      { ...ACQUIRE, segment: ' ' },
      "o.json: segment: empty: give the segment's name or id",
      'segment',
    ],
    ['a segment id of 0', { ...ACQUIRE, segment: 0 }, 'o.json: segment: a numeric id is positive', 'segment'],
    [
      'a fractional segment id',
      { ...ACQUIRE, segment: 1.5 },
      "o.json: segment: give the segment's name or id as a positive integer or a non-empty string",
      'segment',
    ],
    [
      'a segment of another type',
      { ...ACQUIRE, segment: true },
      "o.json: segment: give the segment's name or id as a positive integer or a non-empty string",
      'segment',
    ],
    [
      'no target',
      { ...ACQUIRE, target: undefined },
      'o.json: target: missing: this key is required',
      'target',
    ],
    [
      'an unknown target type',
      { ...ACQUIRE, target: { type: 'email' } },
      'o.json: target.type: unknown target type: use one of salesforce_campaign, outreach_sequence, csv',
      'target.type',
    ],
    [
      'a campaign id of another object',
      { ...ACQUIRE, target: { type: 'salesforce_campaign', campaignId: '001000000000001', create: 'lead' } },
      'o.json: target.campaignId: "001000000000001" is not a Salesforce campaign id (15 or 18 characters starting 701, from the campaign\'s URL)',
      'target.campaignId',
    ],
    [
      'a campaign id of 16 characters',
      { ...ACQUIRE, target: { type: 'salesforce_campaign', campaignId: '7010000000000011', create: 'lead' } },
      'o.json: target.campaignId: "7010000000000011" is not a Salesforce campaign id (15 or 18 characters starting 701, from the campaign\'s URL)',
      'target.campaignId',
    ],
    [
      'an unknown record to create',
      {
        ...ACQUIRE,
        target: { type: 'salesforce_campaign', campaignId: '701000000000001', create: 'account' },
      },
      'o.json: target.create: "account" is not what to create: use one of lead, contact',
      'target.create',
    ],
    [
      'no mailbox',
      { ...ACQUIRE, target: { type: 'outreach_sequence', sequenceId: '5' } },
      'o.json: target.mailboxId: give the mailbox id as a positive integer or a non-empty string',
      'target.mailboxId',
    ],
    [
      'an empty sequence id',
      { ...ACQUIRE, target: { type: 'outreach_sequence', sequenceId: '', mailboxId: 1 } },
      'o.json: target.sequenceId: empty: give the sequence id',
      'target.sequenceId',
    ],
    [
      'an unknown key in a target',
      { ...ACQUIRE, target: { type: 'csv', file: 'x.csv' } },
      'o.json: target: unknown key "file" (known: type)',
      'target',
    ],
    [
      'an unknown job level',
      { ...ACQUIRE, filters: { titles: [{ include: ['cto'] }, { levels: ['VP', 'Boss'] }] } },
      'o.json: filters.titles[1].levels[1]: "Boss" is not a job level: use one of C-Level, VP, Director, Manager, Staff',
      'filters.titles[1].levels[1]',
    ],
    [
      'an empty list of levels',
      { ...ACQUIRE, filters: { titles: [{ levels: [] }] } },
      'o.json: filters.titles[0].levels: an empty list of levels matches nothing: leave the key out to accept any',
      'filters.titles[0].levels',
    ],
    [
      'an empty title entry',
      { ...ACQUIRE, filters: { titles: [{}] } },
      'o.json: filters.titles[0]: a title entry sets at least one of levels, functions, include, exclude',
      'filters.titles[0]',
    ],
    [
      'an empty word',
      { ...ACQUIRE, filters: { titles: [{ exclude: ['intern', ' '] }] } },
      'o.json: filters.titles[0].exclude[1]: a word is not empty',
      'filters.titles[0].exclude[1]',
    ],
    [
      'an unknown key in a title entry',
      { ...ACQUIRE, filters: { titles: [{ title: 'CTO' }] } },
      'o.json: filters.titles[0]: unknown key "title" (known: levels, functions, include, exclude)',
      'filters.titles[0]',
    ],
    [
      'an unknown country',
      { ...ACQUIRE, filters: { geography: { include: ['US', 'XX'] } } },
      'o.json: filters.geography.include[1]: "XX" is not an ISO 3166-1 alpha-2 country code (e.g. US, DE)',
      'filters.geography.include[1]',
    ],
    [
      'a country by a common name',
      { ...ACQUIRE, filters: { geography: { exclude: ['UK'] } } },
      'o.json: filters.geography.exclude[0]: "UK" is not an ISO 3166-1 alpha-2 country code: did you mean GB?',
      'filters.geography.exclude[0]',
    ],
    [
      'a group of countries',
      { ...ACQUIRE, filters: { geography: { exclude: ['eu'] } } },
      'o.json: filters.geography.exclude[0]: EU is not a country: list the countries one by one',
      'filters.geography.exclude[0]',
    ],
    [
      'an unknown email confidence',
      { ...ACQUIRE, filters: { minEmailConfidence: 'E' } },
      'o.json: filters.minEmailConfidence: "E" is not an email confidence: use one of A, B, C, D',
      'filters.minEmailConfidence',
    ],
    [
      'a cap of 0',
      { ...ACQUIRE, filters: { maxPerAccount: 0 } },
      'o.json: filters.maxPerAccount: at least 1 person per account',
      'filters.maxPerAccount',
    ],
    [
      'a cap of 101',
      { ...ACQUIRE, filters: { maxPerAccount: 101 } },
      'o.json: filters.maxPerAccount: at most 100 people per account',
      'filters.maxPerAccount',
    ],
    [
      'a fractional cap',
      { ...ACQUIRE, filters: { maxPerAccount: 2.5 } },
      'o.json: filters.maxPerAccount: a whole number of people',
      'filters.maxPerAccount',
    ],
    [
      'a flag of another type',
      { ...ACQUIRE, filters: { usePersonaMap: 'yes' } },
      'o.json: filters.usePersonaMap: expected boolean, found string',
      'filters.usePersonaMap',
    ],
    [
      'an unknown schedule',
      { ...ACQUIRE, schedule: 'hourly' },
      'o.json: schedule: use "manual", "daily" or { "weekly": "monday" } (any day of the week)',
      'schedule',
    ],
    [
      'an unknown day',
      { ...ACQUIRE, schedule: { weekly: 'funday' } },
      'o.json: schedule.weekly: "funday" is not a day of the week: use one of sunday, monday, tuesday, wednesday, thursday, friday, saturday',
      'schedule.weekly',
    ],
    [
      'an unknown key in a schedule',
      { ...ACQUIRE, schedule: { weekly: 'monday', at: '09:00' } },
      'o.json: schedule: unknown key "at" (known: weekly)',
      'schedule',
    ],
    [
      'a negative cooldown',
      { ...ACQUIRE, cooldownDays: -1 },
      'o.json: cooldownDays: at least 0 days (0: no cooldown)',
      'cooldownDays',
    ],
    [
      'a long cooldown',
      { ...ACQUIRE, cooldownDays: 366 },
      'o.json: cooldownDays: at most 365 days',
      'cooldownDays',
    ],
    [
      'a fractional cooldown',
      { ...ACQUIRE, cooldownDays: 1.5 },
      'o.json: cooldownDays: a whole number of days',
      'cooldownDays',
    ],
    [
      'acquire_contacts without a provider',
      { ...ACQUIRE, provider: undefined },
      'o.json: provider: acquire_contacts needs a provider: name one added with `signalfit providers add`',
      'provider',
    ],
    [
      'acquire_contacts with an audience',
      { ...ACQUIRE, audience: { grades: ['A'] } },
      'o.json: audience: audience is for add_to_audience; acquire_contacts chooses people with filters',
      'audience',
    ],
    [
      'add_to_audience with a provider',
      { ...AUDIENCE, provider: 'Vendor' },
      'o.json: provider: add_to_audience buys nothing, so it takes no provider: leave it out',
      'provider',
    ],
    [
      'add_to_audience with filters',
      { ...AUDIENCE, filters: { maxPerAccount: 3 } },
      'o.json: filters.maxPerAccount: add_to_audience takes no filters (they choose people to buy): choose people with audience',
      'filters.maxPerAccount',
    ],
    [
      'an unknown grade',
      { ...AUDIENCE, audience: { grades: ['A', 'E'] } },
      'o.json: audience.grades[1]: "E" is not an engagement grade: use one of A, B, C, D',
      'audience.grades[1]',
    ],
    [
      'an unknown fit',
      { ...AUDIENCE, audience: { fits: ['Great'] } },
      'o.json: audience.fits[0]: "Great" is not a fit: use one of Strong, Moderate, Weak',
      'audience.fits[0]',
    ],
    [
      'removing leavers from an Outreach sequence',
      {
        ...AUDIENCE,
        target: { type: 'outreach_sequence', sequenceId: 1, mailboxId: 2 },
        audience: { removeLeavers: true },
      },
      'o.json: audience.removeLeavers: only a Salesforce campaign can remove the people who left the segment',
      'audience.removeLeavers',
    ],
  ])('refuses %s', (_, value, message, path) => {
    expect(refused(value)).toEqual([message, path]);
  });
});

describe('parseOrchestrationPatch', () => {
  const patch = (value: unknown) => parseOrchestrationPatch(value, 'body');

  it('reads any one field, and null removes an optional one', () => {
    expect(patch({ name: ' Renamed ' })).toEqual({ name: 'Renamed' });
    expect(
      patch({ filters: null, provider: null, audience: null, schedule: null, cooldownDays: null }),
    ).toEqual({
      filters: null,
      provider: null,
      audience: null,
      schedule: null,
      cooldownDays: null,
    });
    expect(patch({ schedule: { weekly: 'friday' }, filters: { geography: { include: ['de'] } } })).toEqual({
      schedule: { weekly: 'friday' },
      filters: { geography: { include: ['DE'] } },
    });
  });

  it.each<[string, unknown, string, string]>([
    [
      'nothing to change',
      {},
      'body: change at least one of name, goal, segment, provider, target, filters, audience, schedule, cooldownDays',
      '',
    ],
    ['a blank name', { name: '' }, 'body: name: an orchestration needs a name', 'name'],
    ['a name of null', { name: null }, 'body: name: expected string, found null', 'name'],
    [
      'an unknown key',
      { owner: 'me' },
      'body: unknown key "owner" (known: name, goal, segment, provider, target, filters, audience, schedule, cooldownDays)',
      '',
    ],
    [
      'an unknown job level',
      { filters: { titles: [{ levels: ['Boss'] }] } },
      'body: filters.titles[0].levels[0]: "Boss" is not a job level: use one of C-Level, VP, Director, Manager, Staff',
      'filters.titles[0].levels[0]',
    ],
  ])('refuses %s', (_, value, message, path) => {
    expect(refusal(() => patch(value))).toEqual([message, path]);
  });
});
