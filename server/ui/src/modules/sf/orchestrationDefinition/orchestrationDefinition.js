/**
 * The orchestration wizard's form state and the o.json it stands for (docs/orchestrations.md):
 * a blank form, the form of a stored orchestration, the definition a form saves, the checks each
 * step makes before the next, the step an error of the service concerns, and the definition
 * told in words for the review. Labels of the orchestration words live here too.
 */
import { LEAD_SOURCE, SOURCE_TYPES } from 'sf/vocabulary';

export const STEPS = Object.freeze([
  { name: 'goal', label: 'Goal and name' },
  { name: 'segment', label: 'Segment' },
  { name: 'target', label: 'Target' },
  { name: 'filters', label: 'Filters' },
  { name: 'push', label: 'Push settings' },
  { name: 'review', label: 'Review' },
]);

export const GOAL_LABELS = Object.freeze({
  acquire_contacts: 'Acquire new contacts',
  add_to_audience: 'Add to audience',
});
export const TARGET_LABELS = Object.freeze({
  salesforce_campaign: 'Salesforce campaign',
  outreach_sequence: 'Outreach sequence',
  csv: 'CSV download',
});
export const SKIP_REASON_LABELS = Object.freeze({
  no_email: 'No email',
  opted_out: 'Opted out',
  already_in_crm: 'Already in the CRM',
  restricted_region: 'Restricted region',
  filtered_out: 'Filtered out',
  cooldown: 'Account in cooldown',
  cap_reached: 'Over the per-account maximum',
  no_domain: 'Account without a domain',
  no_candidates: 'No candidates',
});
export const OUTCOME_LABELS = Object.freeze({
  purchased: 'Purchased, not pushed',
  pushed: 'Pushed',
  skipped: 'Skipped',
  failed: 'Failed',
});
export const RUN_STATE_LABELS = Object.freeze({
  queued: 'Queued',
  running: 'Running',
  complete: 'Complete',
  failed: 'Failed',
  interrupted: 'Interrupted',
  idle: 'Idle',
});
export const TRIGGER_LABELS = Object.freeze({ manual: 'Run now', schedule: 'Schedule', repush: 'Re-push' });

/** The label of a word, or the word itself when it has none. */
export function labelOf(labels, word) {
  return (word && labels[word]) || word || '';
}

export function weekdayLabel(day) {
  return day ? day.charAt(0).toUpperCase() + day.slice(1) : '';
}

let nextKey = 0;
/** A blank title entry; `key` tells entries apart in the form (never sent). */
export function newTitleEntry() {
  nextKey += 1;
  return { key: `title-${nextKey}`, levels: [], functions: '', include: '', exclude: '' };
}

export function blankForm() {
  return {
    goal: 'acquire_contacts',
    name: '',
    segment: '',
    provider: '',
    targetType: 'salesforce_campaign',
    campaignId: '',
    create: 'lead',
    sequenceId: '',
    mailboxId: '',
    usePersonaMap: false,
    titles: [],
    geoInclude: '',
    geoExclude: '',
    prioritizeVisitedCountries: false,
    minEmailConfidence: '',
    maxPerAccount: '',
    allowRestrictedRegions: false,
    personas: '',
    grades: [],
    fits: [],
    removeLeavers: false,
    scheduleKind: 'manual',
    weekday: 'monday',
    cooldownDays: '',
  };
}

/** "a, b , ,c" → ['a', 'b', 'c']. */
export function splitWords(text) {
  return String(text || '')
    .split(',')
    .map((word) => word.trim())
    .filter(Boolean);
}

const joinWords = (words) => (words || []).join(', ');
const numberText = (value) => (value === undefined || value === null ? '' : String(value));

/** The form of a stored orchestration (an OrchestrationView of the API). */
export function formOf(view) {
  const form = blankForm();
  const target = view.target || { type: 'csv' };
  const filters = view.filters || {};
  const audience = view.audience || {};
  const schedule = view.schedule || 'manual';
  return {
    ...form,
    goal: view.goal,
    name: view.name,
    segment: view.segment ? String(view.segment.id) : '',
    provider: view.provider ? view.provider.name : '',
    targetType: target.type,
    campaignId: target.campaignId || '',
    create: target.create || 'lead',
    sequenceId: target.sequenceId || '',
    mailboxId: target.mailboxId || '',
    usePersonaMap: !!filters.usePersonaMap,
    titles: (filters.titles || []).map((entry) => ({
      ...newTitleEntry(),
      levels: [...(entry.levels || [])],
      functions: joinWords(entry.functions),
      include: joinWords(entry.include),
      exclude: joinWords(entry.exclude),
    })),
    geoInclude: joinWords(filters.geography && filters.geography.include),
    geoExclude: joinWords(filters.geography && filters.geography.exclude),
    prioritizeVisitedCountries: !!filters.prioritizeVisitedCountries,
    minEmailConfidence: filters.minEmailConfidence || '',
    maxPerAccount: numberText(filters.maxPerAccount),
    allowRestrictedRegions: !!filters.allowRestrictedRegions,
    personas: joinWords(audience.personas),
    grades: [...(audience.grades || [])],
    fits: [...(audience.fits || [])],
    removeLeavers: !!audience.removeLeavers,
    scheduleKind: typeof schedule === 'object' ? 'weekly' : schedule,
    weekday: typeof schedule === 'object' ? schedule.weekly : 'monday',
    cooldownDays: view.cooldownDays ? String(view.cooldownDays) : '',
  };
}

/** Sets `key` on `into` when the value says something (a non-empty list, true, a number, a text). */
function setWhenGiven(into, key, value) {
  const empty =
    value === undefined ||
    value === null ||
    value === '' ||
    value === false ||
    (Array.isArray(value) && value.length === 0) ||
    (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0);
  if (!empty) {
    into[key] = value;
  }
}

function targetOf(form) {
  if (form.targetType === 'salesforce_campaign') {
    return { type: 'salesforce_campaign', campaignId: form.campaignId.trim(), create: form.create };
  }
  if (form.targetType === 'outreach_sequence') {
    return {
      type: 'outreach_sequence',
      sequenceId: form.sequenceId.trim(),
      mailboxId: form.mailboxId.trim(),
    };
  }
  return { type: 'csv' };
}

function titleOf(entry) {
  const title = {};
  setWhenGiven(title, 'levels', entry.levels);
  setWhenGiven(title, 'functions', splitWords(entry.functions));
  setWhenGiven(title, 'include', splitWords(entry.include));
  setWhenGiven(title, 'exclude', splitWords(entry.exclude));
  return title;
}

const countries = (text) => splitWords(text).map((code) => code.toUpperCase());

function filtersOf(form) {
  const filters = {};
  setWhenGiven(filters, 'usePersonaMap', form.usePersonaMap);
  setWhenGiven(
    filters,
    'titles',
    form.titles.map(titleOf).filter((title) => Object.keys(title).length > 0),
  );
  const geography = {};
  setWhenGiven(geography, 'include', countries(form.geoInclude));
  setWhenGiven(geography, 'exclude', countries(form.geoExclude));
  setWhenGiven(filters, 'geography', geography);
  setWhenGiven(filters, 'prioritizeVisitedCountries', form.prioritizeVisitedCountries);
  setWhenGiven(filters, 'minEmailConfidence', form.minEmailConfidence);
  if (String(form.maxPerAccount).trim() !== '') {
    filters.maxPerAccount = Number(form.maxPerAccount);
  }
  setWhenGiven(filters, 'allowRestrictedRegions', form.allowRestrictedRegions);
  return filters;
}

function audienceOf(form) {
  const audience = {};
  setWhenGiven(audience, 'personas', splitWords(form.personas));
  setWhenGiven(audience, 'grades', form.grades);
  setWhenGiven(audience, 'fits', form.fits);
  if (form.targetType === 'salesforce_campaign') {
    setWhenGiven(audience, 'removeLeavers', form.removeLeavers);
  }
  return audience;
}

/** The o.json the form stands for (what POST /api/orchestrations takes). */
export function definitionOf(form) {
  const acquire = form.goal === 'acquire_contacts';
  const definition = {
    name: form.name.trim(),
    goal: form.goal,
    segment: /^\d+$/.test(form.segment) ? Number(form.segment) : form.segment,
  };
  if (acquire) {
    setWhenGiven(definition, 'provider', form.provider);
  }
  definition.target = targetOf(form);
  setWhenGiven(definition, acquire ? 'filters' : 'audience', acquire ? filtersOf(form) : audienceOf(form));
  definition.schedule =
    form.scheduleKind === 'weekly' ? { weekly: form.weekday } : form.scheduleKind || 'manual';
  if (String(form.cooldownDays).trim() !== '') {
    definition.cooldownDays = Number(form.cooldownDays);
  }
  return definition;
}

/**
 * What an edit sends (PATCH): the fields whose value differs from the stored orchestration's. A
 * field the form no longer gives is sent empty, so the change is seen.
 */
export function changesOf(form, before) {
  const now = definitionOf(form);
  const was = definitionOf(formOf(before));
  const cleared = { filters: {}, audience: {}, cooldownDays: 0 };
  const changes = {};
  for (const key of new Set([...Object.keys(now), ...Object.keys(was)])) {
    const value = key in now ? now[key] : cleared[key];
    if (value !== undefined && JSON.stringify(value) !== JSON.stringify(was[key])) {
      changes[key] = value;
    }
  }
  return changes;
}

const WHOLE = /^\d+$/;
const COUNTRY = /^[A-Za-z]{2}$/;

/**
 * The problems of one step, as `{ field: message }` (empty when the step may be left). The
 * service checks everything again; these are the ones a user can fix before saving.
 */
export function stepProblems(step, form) {
  const problems = {};
  const acquire = form.goal === 'acquire_contacts';
  if (step === 'goal' && !form.name.trim()) {
    problems.name = 'Give the orchestration a name.';
  }
  if (step === 'segment' && !form.segment) {
    problems.segment = 'Pick the segment whose accounts it works on.';
  }
  if (step === 'target') {
    if (form.targetType === 'salesforce_campaign' && !form.campaignId.trim()) {
      problems.campaignId = 'Enter the Salesforce campaign id (it starts with 701).';
    }
    if (form.targetType === 'outreach_sequence') {
      if (!form.sequenceId.trim()) {
        problems.sequenceId = 'Enter the Outreach sequence id.';
      }
      if (!form.mailboxId.trim()) {
        problems.mailboxId = 'Enter the id of the Outreach mailbox the emails go from.';
      }
    }
    if (acquire && !form.provider) {
      problems.provider = 'Pick the contact-data provider to buy from.';
    }
  }
  if (step === 'filters' && acquire) {
    const max = String(form.maxPerAccount).trim();
    if (max !== '' && (!WHOLE.test(max) || Number(max) < 1)) {
      problems.maxPerAccount = 'The maximum per account is a whole number of 1 or more.';
    }
    for (const [field, text] of [
      ['geoInclude', form.geoInclude],
      ['geoExclude', form.geoExclude],
    ]) {
      const bad = splitWords(text).filter((code) => !COUNTRY.test(code));
      if (bad.length) {
        problems[field] = `Countries are two-letter ISO codes (e.g. US, DE): not ${bad.join(', ')}.`;
      }
    }
  }
  if (step === 'push') {
    const days = String(form.cooldownDays).trim();
    if (days !== '' && !WHOLE.test(days)) {
      problems.cooldownDays = 'The cooldown is a whole number of days (0 or more).';
    }
  }
  return problems;
}

const STEP_OF_FIELD = Object.freeze({
  name: 'goal',
  goal: 'goal',
  segment: 'segment',
  provider: 'target',
  target: 'target',
  filters: 'filters',
  audience: 'filters',
  schedule: 'push',
  cooldownDays: 'push',
});

/** The first field of an error's `details.path` (`filters.titles.0` or `['filters', 'titles', 0]`). */
function firstField(path) {
  if (Array.isArray(path)) {
    return path.length ? String(path[0]) : '';
  }
  return String(path || '').split(/[.[\]/]/)[0];
}

/** The wizard step an error of the service concerns: from its path, else the review. */
export function stepOfError(details) {
  const field = details && details.path !== undefined ? firstField(details.path) : '';
  return STEP_OF_FIELD[field] || 'review';
}

/** ['a', 'b', 'c'] → 'a, b or c'. */
function or(words) {
  return words.length <= 1
    ? words.join('')
    : `${words.slice(0, -1).join(', ')} or ${words[words.length - 1]}`;
}

function describeTitle(title, index) {
  const parts = [];
  if (title.levels) parts.push(`level ${or(title.levels)}`);
  if (title.functions) parts.push(`function ${or(title.functions)}`);
  if (title.include) parts.push(`title contains ${or(title.include.map((w) => `“${w}”`))}`);
  if (title.exclude) parts.push(`title without ${or(title.exclude.map((w) => `“${w}”`))}`);
  return `${index + 1}. ${parts.join('; ')}`;
}

function describeTarget(target, acquire) {
  if (target.type === 'salesforce_campaign') {
    const what = target.create === 'contact' ? 'Contacts under their accounts' : 'Leads';
    return acquire
      ? `Salesforce campaign ${target.campaignId}: new people are created as ${what}, then added as campaign members`
      : `Salesforce campaign ${target.campaignId}: the people are added as campaign members`;
  }
  if (target.type === 'outreach_sequence') {
    return `Outreach sequence ${target.sequenceId}, sent from mailbox ${target.mailboxId}`;
  }
  return 'CSV download from the run’s history';
}

function describeSchedule(schedule) {
  if (schedule === 'daily') return 'Runs every day at 06:00 UTC, and whenever someone presses Run now';
  if (schedule && schedule.weekly) {
    return `Runs every ${weekdayLabel(schedule.weekly)} at 06:00 UTC, and whenever someone presses Run now`;
  }
  return 'Runs only when someone presses Run now';
}

/**
 * The definition told in words, as `[{ key, label, text }]`; `names` gives the segment's and
 * the provider's names (`{ segment, provider }`).
 */
export function describeDefinition(definition, names = {}) {
  const acquire = definition.goal === 'acquire_contacts';
  const lines = [
    ['goal', 'Goal', labelOf(GOAL_LABELS, definition.goal)],
    ['name', 'Name', definition.name],
    ['segment', 'Segment', names.segment || String(definition.segment)],
  ];
  if (acquire) {
    lines.push(['provider', 'Provider', names.provider || definition.provider || 'none']);
  }
  lines.push(['target', 'Target', describeTarget(definition.target, acquire)]);
  if (acquire && definition.target.type !== 'csv') {
    lines.push(['mapping', 'Mapping', `Lead source “${LEAD_SOURCE}”, source type “${SOURCE_TYPES[0]}”`]);
  }
  if (acquire) {
    const f = definition.filters || {};
    const titles = f.titles || [];
    lines.push(['titles', 'Titles', titles.length ? titles.map(describeTitle).join(' · ') : 'any title']);
    if (f.usePersonaMap) lines.push(['personaMap', 'Persona map', 'people are ordered by persona priority']);
    const geography = f.geography || {};
    const where = [
      geography.include ? `only ${geography.include.join(', ')}` : 'any country',
      geography.exclude ? `not ${geography.exclude.join(', ')}` : null,
    ].filter(Boolean);
    lines.push(['geography', 'Geography', where.join('; ')]);
    if (f.prioritizeVisitedCountries) {
      lines.push(['visited', 'Countries', 'people in the countries with the most web visits first']);
    }
    lines.push([
      'confidence',
      'Email confidence',
      f.minEmailConfidence ? `${f.minEmailConfidence} or better` : 'any',
    ]);
    lines.push([
      'max',
      'Per account',
      `at most ${f.maxPerAccount || 5} people per run${f.maxPerAccount ? '' : ' (the default)'}`,
    ]);
    lines.push([
      'regions',
      'Restricted regions',
      f.allowRestrictedRegions
        ? 'allowed: people in the EU/EEA, the UK, Switzerland, Brazil and Canada may be bought'
        : 'excluded (EU/EEA, UK, Switzerland, Brazil, Canada)',
    ]);
  } else {
    const a = definition.audience || {};
    const who = [
      a.personas ? `personas ${or(a.personas)}` : null,
      a.grades ? `engagement grade ${or(a.grades)}` : null,
      a.fits ? `${or(a.fits)} fit` : null,
    ].filter(Boolean);
    lines.push([
      'audience',
      'People',
      `the segment’s known contacts and leads${who.length ? ` with ${who.join(', ')}` : ''}, new since the last run`,
    ]);
    if (a.removeLeavers) {
      lines.push([
        'leavers',
        'Leavers',
        'people whose account left the segment are removed from the campaign',
      ]);
    }
  }
  lines.push(['schedule', 'Schedule', describeSchedule(definition.schedule)]);
  const days = definition.cooldownDays || 0;
  lines.push([
    'cooldown',
    'Cooldown',
    days ? `an account is not picked again for ${days} ${days === 1 ? 'day' : 'days'}` : 'none',
  ]);
  return lines.map(([key, label, text]) => ({ key, label, text }));
}
